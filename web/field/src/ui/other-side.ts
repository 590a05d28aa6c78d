// "Show the other side": the position card of the dashboard (Spanish and English, QR code, black on white),
// full screen, to hold up to the person across the line.
import '../../../src/card/card.css';
import { renderCard } from '../../../src/card/index.js';
import type { FieldAnswer } from '../answer.js';
import { byId } from './dom.js';

export async function showOtherSide(answer: FieldAnswer, timeMs: number, territories: string[]): Promise<void> {
  const overlay = byId('other-side');
  await renderCard(byId('other-side-card'), { where: answer.where, timeMs, territories });
  overlay.hidden = false;
  document.body.classList.add('showing-other-side');
  // Full screen where the browser allows it (a tap started this); the overlay covers the page either way.
  await overlay.requestFullscreen?.().catch(() => undefined);
  byId('close-other-side').focus();
}

export async function hideOtherSide(): Promise<void> {
  byId('other-side').hidden = true;
  document.body.classList.remove('showing-other-side');
  if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
}
