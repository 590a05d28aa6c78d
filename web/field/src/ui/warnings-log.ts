// The last warnings, newest first, so a person who felt the phone buzz can see why.
import { formatDistance, territoryName } from '../../../src/format.js';
import { message, currentLang, type Lang } from '../i18n/i18n.js';
import type { FieldWarning } from '../warnings/field-warnings.js';
import { el } from './dom.js';
import { timeOfDay } from './formatters.js';

const SHOWN = 6;

export class WarningsLog {
  private readonly entries: { warning: FieldWarning; warningDistanceM: number }[] = [];

  constructor(private readonly list: HTMLOListElement, private readonly empty: HTMLElement) {}

  add(warning: FieldWarning, warningDistanceM: number): void {
    this.entries.unshift({ warning, warningDistanceM });
    this.entries.length = Math.min(this.entries.length, SHOWN);
    this.render();
  }

  render(): void {
    const lang = currentLang();
    this.empty.hidden = this.entries.length > 0;
    this.list.replaceChildren(...this.entries.map(({ warning, warningDistanceM }) => {
      const li = el('li', `warning warning-${warning.kind}`);
      li.dataset.kind = warning.kind;
      li.append(el('time', '', timeOfDay(warning.timeMs, lang)), el('span', '', warningText(warning, warningDistanceM, lang)));
      return li;
    }));
  }
}

export function warningText(w: FieldWarning, warningDistanceM: number, lang: Lang): string {
  switch (w.kind) {
    case 'approach': return message(lang, 'warning.approach', { distance: formatDistance(warningDistanceM, lang) });
    case 'side-change': return message(lang, 'warning.side-change', { country: territoryName(w.determination.territory, lang) });
    default: return message(lang, `warning.${w.kind}`);
  }
}
