// The header's controls: connection status, unit count, language, alert sound, live/replay mode.
import { isMuted, setMuted } from '../alerts/sound.js';
import type { StreamStatus } from '../live/stream.js';
import { currentLang, onLangChange, plural, setLang, t, type Lang } from '../i18n/i18n.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class Header {
  private status: StreamStatus = 'connecting';
  private unitCount = 0;

  constructor(onMode: (mode: 'live' | 'replay') => void) {
    for (const button of document.querySelectorAll<HTMLButtonElement>('button.lang')) {
      button.addEventListener('click', () => setLang(button.dataset.lang as Lang));
    }
    byId('mute').addEventListener('click', () => {
      setMuted(!isMuted());
      this.render();
    });
    byId('mode-live').addEventListener('click', () => onMode('live'));
    byId('mode-replay').addEventListener('click', () => onMode('replay'));
    onLangChange(() => this.render());
    this.render();
  }

  setStatus(status: StreamStatus): void {
    this.status = status;
    this.render();
  }

  setUnitCount(count: number): void {
    if (count === this.unitCount) return;
    this.unitCount = count;
    byId('unit-count').textContent = plural('units.count', count);
  }

  setMode(mode: 'live' | 'replay'): void {
    byId('mode-live').setAttribute('aria-pressed', String(mode === 'live'));
    byId('mode-replay').setAttribute('aria-pressed', String(mode === 'replay'));
  }

  private render(): void {
    const status = byId('status');
    status.dataset.state = this.status;
    status.textContent = t(`status.${this.status}`);
    const mute = byId('mute');
    const muted = isMuted();
    mute.setAttribute('aria-pressed', String(muted));
    mute.textContent = t(muted ? 'sound.muted' : 'sound.on');
    mute.title = t(muted ? 'sound.unmute' : 'sound.mute');
    for (const button of document.querySelectorAll<HTMLButtonElement>('button.lang')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === currentLang()));
    }
    byId('unit-count').textContent = plural('units.count', this.unitCount);
  }
}
