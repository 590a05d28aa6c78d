// The field card: where the phone is, large and in both languages (the chosen one first), with the arrow
// to the nearest point of the line. Built once; each fix only changes text and one rotation.
import { compassPoint, formatBearing, formatDd, formatDistance, territoryName } from '../../../src/format.js';
import { territoryPalette } from '../../../src/map/palette.js';
import type { FieldAnswer } from '../answer.js';
import { currentLang, message, otherLang, type Lang, type MessageKey, type Vars } from '../i18n/i18n.js';
import type { DeviceFix } from '../position/device-fix.js';
import { createArrow, pointArrow } from './arrow.js';
import { floorPercent } from '../../../../src/answer/index.js';
import { el, setText } from './dom.js';
import { spaceMgrs } from '../../../../src/coords/index.js';

/** A position older than this is flagged: the phone may have moved since. */
const STALE_AFTER_S = 30;

interface Pair {
  section: HTMLElement;
  primary: HTMLParagraphElement;
  secondary: HTMLParagraphElement;
}

function pair(className: string): Pair {
  const section = el('section', className);
  const primary = el('p', 'primary');
  const secondary = el('p', 'secondary');
  section.append(primary, secondary);
  return { section, primary, secondary };
}

export class FixView {
  private readonly card = el('article', 'field-card');
  private readonly territory = pair('fix-territory');
  private readonly uncertain = pair('fix-uncertain');
  private readonly distance = pair('fix-distance');
  private readonly direction = pair('fix-direction');
  private readonly arrowMode = el('p', 'fix-arrow-mode');
  private readonly zone = pair('fix-zone');
  private readonly fence = pair('fix-fence');
  private readonly mgrs = el('p', 'fix-mgrs');
  private readonly dd = el('p', 'fix-dd');
  private readonly quality = pair('fix-quality');
  private readonly age = el('p', 'fix-age');
  private readonly arrow = createArrow();
  private last: { answer: FieldAnswer; fix: DeviceFix; territories: string[] } | null = null;
  private headingDeg: number | null = null;

  constructor(private readonly root: HTMLElement) {
    const line = el('section', 'fix-line');
    const words = el('div', 'fix-line-words');
    words.append(this.distance.section, this.direction.section, this.arrowMode);
    line.append(this.arrow, words);
    const place = el('section', 'fix-place');
    place.append(this.mgrs, this.dd);
    this.card.append(this.territory.section, this.uncertain.section, line, this.zone.section, this.fence.section, place, this.quality.section, this.age);
  }

  get answer(): FieldAnswer | null {
    return this.last?.answer ?? null;
  }

  show(answer: FieldAnswer, fix: DeviceFix, territories: string[]): void {
    this.last = { answer, fix, territories };
    if (this.card.parentElement !== this.root) this.root.replaceChildren(this.card);
    this.render();
  }

  /** The compass moved (or stopped): only the arrow turns. */
  setHeading(headingDeg: number | null): void {
    this.headingDeg = headingDeg;
    if (this.last) this.pointArrow();
  }

  render(): void {
    if (!this.last) return;
    const { answer, territories } = this.last;
    const w = answer.where;
    const card = this.card;
    card.classList.toggle('uncertain', !w.certain);
    card.dataset.territory = w.territory ?? 'outside';
    card.dataset.distanceM = String(w.boundary.distance_m);
    card.dataset.fixTimeMs = String(this.last.fix.timeMs);
    card.dataset.certain = String(w.certain);
    card.style.setProperty('--territory', w.territory === null ? '#6b7280' : territoryPalette(territories).colour(w.territory));

    if (w.territory === null) this.fill(this.territory, 'fix.outside', () => ({}));
    else this.fill(this.territory, 'fix.territory', (l) => ({ country: territoryName(w.territory, l) }));
    this.uncertain.section.hidden = w.certain;
    this.fill(this.uncertain, 'fix.uncertain', () => ({}));
    this.fill(this.distance, 'fix.distance', (l) => ({ distance: formatDistance(w.boundary.distance_m, l) }));
    this.fill(this.direction, 'fix.direction', (l) => ({ direction: compassPoint(w.boundary.bearing_deg, l), bearing: formatBearing(w.boundary.bearing_deg) }));
    this.zone.section.hidden = w.zone !== 'strip';
    this.fill(this.zone, 'fix.strip', () => ({}));
    this.fence.section.hidden = w.fence === null;
    if (w.fence) {
      const f = w.fence;
      this.fill(this.fence, f.illustrative ? 'fix.fenceIllustrative' : 'fix.fence', (l) => ({
        name: f.name, distance: formatDistance(f.distance_m, l), side: message(l, f.side === 'boundary' ? 'fix.fenceSide.boundary' : 'fix.fenceSide.inland'),
      }));
    }
    setText(this.mgrs, w.mgrs ? `MGRS ${spaceMgrs(w.mgrs)}` : '');
    setText(this.dd, formatDd(w.lat, w.lon));
    this.fill(this.quality, w.accuracy_assumed ? 'fix.accuracyAssumed' : 'fix.accuracy', (l) => ({ accuracy: formatDistance(w.accuracy_m, l) }), (l, text) =>
      `${text} · ${message(l, 'fix.confidence', { percent: floorPercent(w.confidence) })}${w.certain ? ` · ${message(l, 'fix.certain')}` : ''}`);
    this.pointArrow();
    this.tick(Date.now());
  }

  /** Refreshes how old the position is; called every second. */
  tick(nowMs: number): void {
    if (!this.last) return;
    const seconds = Math.max(0, Math.round((nowMs - this.last.fix.timeMs) / 1000));
    const stale = seconds >= STALE_AFTER_S;
    this.age.classList.toggle('stale', stale);
    setText(this.age, message(currentLang(), stale ? 'fix.stale' : 'fix.age', { seconds }));
  }

  private pointArrow(): void {
    const w = this.last!.answer.where;
    pointArrow(this.arrow, w.boundary.bearing_deg, this.headingDeg);
    this.arrow.setAttribute('aria-label', message(currentLang(), 'arrow.label'));
    setText(this.arrowMode, message(currentLang(), this.headingDeg === null ? 'arrow.northUp' : 'arrow.compass'));
  }

  private fill(p: Pair, key: MessageKey, vars: (lang: Lang) => Vars, decorate: (lang: Lang, text: string) => string = (_l, text) => text): void {
    const first = currentLang();
    const second = otherLang(first);
    setText(p.primary, decorate(first, message(first, key, vars(first))));
    setText(p.secondary, decorate(second, message(second, key, vars(second))));
    p.primary.lang = first;
    p.secondary.lang = second;
  }
}
