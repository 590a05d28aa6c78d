// The position card: one position stated in Spanish and English at once, in type large enough to be
// read from the other side, with a QR code of the same facts. Used by /card and by the field mode.
import QRCode from 'qrcode';
import type { WhereJson } from '../api/types.js';
import {
  compassPoint, formatBearing, formatDateTimeZone, formatDd, formatDistance, formatPercent, spaceMgrs, territoryName,
} from '../format.js';
import { message, type Lang } from '../i18n/i18n.js';
import { territoryPalette } from '../map/palette.js';

export interface CardFacts {
  where: WhereJson;
  /** When the position was taken (a unit's fix time) or asked about, ms since epoch. */
  timeMs: number;
  unit?: string;
  /** Territory codes in boundary order, for the colours the map uses. */
  territories?: string[];
}

/** Spanish first: the card is held up to be read on both sides of the line. */
export const CARD_LANGS: readonly Lang[] = ['es', 'en'];

export interface CardLines {
  territory: string;
  distance: string;
  direction: string;
  time: string;
  accuracy: string;
  confidence: string;
  certainty: string;
  zone: string | null;
  unit: string | null;
}

export function cardLines(f: CardFacts, lang: Lang): CardLines {
  const w = f.where;
  return {
    territory: w.territory === null ? message(lang, 'card.outside') : message(lang, 'card.territory', { country: territoryName(w.territory, lang) }),
    distance: message(lang, 'card.distance', { distance: formatDistance(w.boundary.distance_m, lang) }),
    direction: message(lang, 'card.direction', {
      direction: compassPoint(w.boundary.bearing_deg, lang), bearing: formatBearing(w.boundary.bearing_deg),
    }),
    time: formatDateTimeZone(f.timeMs, lang),
    accuracy: message(lang, w.accuracy_assumed ? 'card.accuracyAssumed' : 'card.accuracy', { accuracy: formatDistance(w.accuracy_m, lang) }),
    confidence: message(lang, 'card.confidence', { percent: formatPercent(w.confidence, lang) }),
    certainty: message(lang, w.certain ? 'card.certain' : 'card.uncertain'),
    zone: w.zone === 'strip' ? message(lang, 'card.zone.strip') : null,
    unit: f.unit ? message(lang, 'card.unit', { unit: f.unit }) : null,
  };
}

/** The facts in the QR code: the where answer's own field names, language-neutral, plus time and unit. */
export function qrPayload(f: CardFacts): string {
  const w = f.where;
  return JSON.stringify({
    lindero: 1,
    territory: w.territory,
    boundary_distance_m: Math.round(w.boundary.distance_m * 10) / 10,
    bearing_deg: formatBearing(w.boundary.bearing_deg),
    other_territory: w.boundary.other_territory,
    lat: Number(w.lat.toFixed(6)),
    lon: Number(w.lon.toFixed(6)),
    mgrs: w.mgrs,
    time: new Date(f.timeMs).toISOString(),
    accuracy_m: w.accuracy_m,
    confidence: w.confidence,
    certain: w.certain,
    zone: w.zone,
    ...(f.unit ? { unit: f.unit } : {}),
  });
}

/** A position outside every territory the layers cover has no territory's colour. */
const OUTSIDE_COLOUR = '#6b7280';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Draws the card into `root`, replacing what was there. */
export async function renderCard(root: HTMLElement, f: CardFacts): Promise<void> {
  const w = f.where;
  const lines = Object.fromEntries(CARD_LANGS.map((l) => [l, cardLines(f, l)])) as Record<Lang, CardLines>;
  const card = el('article', `position-card${w.certain ? '' : ' uncertain'}`);
  card.dataset.territory = w.territory ?? 'outside';
  const colour = w.territory === null ? OUTSIDE_COLOUR : territoryPalette(f.territories ?? (w.boundary.between ?? [w.territory])).colour(w.territory);
  card.style.setProperty('--territory', colour);

  const head = el('header', 'card-territory');
  for (const l of CARD_LANGS) head.append(Object.assign(el('p', `card-territory-${l}`, lines[l].territory), { lang: l }));
  card.append(head);

  if (!w.certain) card.append(bilingual('card-uncertain', lines, 'certainty'));
  card.append(bilingual('card-distance', lines, 'distance'), bilingual('card-direction', lines, 'direction'));
  if (w.zone === 'strip') card.append(bilingual('card-zone', lines, 'zone'));

  const coords = el('section', 'card-coordinates');
  coords.append(
    el('h2', 'card-label', CARD_LANGS.map((l) => message(l, 'card.coordinates')).join(' · ')),
    el('p', 'card-dd', formatDd(w.lat, w.lon)),
    el('p', 'card-mgrs', `MGRS ${spaceMgrs(w.mgrs)}`),
  );
  card.append(coords);

  const when = el('section', 'card-time');
  when.append(el('h2', 'card-label', CARD_LANGS.map((l) => message(l, 'card.time')).join(' · ')));
  for (const l of CARD_LANGS) when.append(Object.assign(el('p', `card-time-${l}`, lines[l].time), { lang: l }));
  card.append(when);

  const quality = el('section', 'card-quality');
  for (const l of CARD_LANGS) {
    quality.append(Object.assign(el('p', `card-quality-${l}`, `${lines[l].accuracy} · ${lines[l].confidence}${w.certain ? ` · ${lines[l].certainty}` : ''}`), { lang: l }));
  }
  card.append(quality);
  if (f.unit) card.append(bilingual('card-unit', lines, 'unit'));

  const qr = el('figure', 'card-qr');
  qr.innerHTML = await QRCode.toString(qrPayload(f), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  qr.append(el('figcaption', 'card-label', CARD_LANGS.map((l) => message(l, 'card.qr')).join(' · ')));
  card.append(qr);

  root.replaceChildren(card);
}

function bilingual(className: string, lines: Record<Lang, CardLines>, key: keyof CardLines): HTMLElement {
  const section = el('section', className);
  for (const l of CARD_LANGS) {
    const text = lines[l][key];
    if (text) section.append(Object.assign(el('p', `${className}-${l}`, text), { lang: l }));
  }
  return section;
}
