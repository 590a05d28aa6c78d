import type { Determination } from '../geo/index.js';

/** The public answer to "where am I?": the object `lindero where --json` prints and GET /api/v1/where returns. */
export interface WhereJson {
  lat: number;
  lon: number;
  mgrs: string;
  territory: string;
  confidence: number;
  certain: boolean;
  accuracy_m: number;
  boundary: { distance_m: number; nearest: { lat: number; lon: number }; bearing_deg: number; other_territory: string };
  fence: null | { name: string; side: 'boundary' | 'inland'; distance_m: number; illustrative: boolean };
  zone: 'strip' | 'inland';
}

const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/** The determination's part of the answer (no position): what the API attaches to stored fixes and alerts. */
export type DeterminationJson = Omit<WhereJson, 'lat' | 'lon' | 'mgrs'>;

/** Snake-case wire form of a determination. Distances to 0.1 mm, coordinates to ~0.1 mm, bearing to 1e-4°. */
export function determinationJson(det: Determination): DeterminationJson {
  return {
    territory: det.territory,
    confidence: round(det.confidence, 6),
    certain: det.certain,
    accuracy_m: det.accuracyM,
    boundary: {
      distance_m: round(det.boundary.distanceM, 4),
      nearest: { lat: round(det.boundary.nearest.lat, 9), lon: round(det.boundary.nearest.lon, 9) },
      bearing_deg: round(det.boundary.bearingDeg, 4) % 360,
      other_territory: det.boundary.otherTerritory,
    },
    fence: det.fence
      ? { name: det.fence.name, side: det.fence.side, distance_m: round(det.fence.distanceM, 4), illustrative: det.fence.illustrative }
      : null,
    zone: det.zone,
  };
}

/** The answer to "where am I?" for a position: where it is, its MGRS reference, and its determination. */
export function whereJson(det: Determination, mgrs: string): WhereJson {
  return { lat: det.lat, lon: det.lon, mgrs, ...determinationJson(det) };
}

/**
 * JSON.stringify(whereJson(det, mgrs)), written out directly: the batch CLI prints one per input line and
 * the intermediate objects were a fifth of its time in garbage collection. Numbers print as JSON does.
 * `latText`/`lonText`, when given, are the JSON text of det.lat/det.lon (see canonicalNumberText).
 */
export function whereJsonText(det: Determination, mgrs: string, latText?: string, lonText?: string): string {
  const b = det.boundary;
  const f = det.fence;
  const fence = f
    ? `{"name":${JSON.stringify(f.name)},"side":"${f.side}","distance_m":${roundedText(f.distanceM, 4)},"illustrative":${f.illustrative}}`
    : 'null';
  return `{"lat":${latText ?? det.lat},"lon":${lonText ?? det.lon},"mgrs":${JSON.stringify(mgrs)},"territory":${JSON.stringify(det.territory)},` +
    `"confidence":${roundedText(det.confidence, 6)},"certain":${det.certain},"accuracy_m":${det.accuracyM},` +
    `"boundary":{"distance_m":${roundedText(b.distanceM, 4)},"nearest":{"lat":${roundedText(b.nearest.lat, 9)},"lon":${roundedText(b.nearest.lon, 9)}},` +
    `"bearing_deg":${bearingText(b.bearingDeg)},"other_territory":${JSON.stringify(b.otherTerritory)}},"fence":${fence},"zone":"${det.zone}"}`;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const TWO_52 = 2 ** 52;

/**
 * String(round(x, decimals)) from integers: round() gives k/10^d for the integer k = Math.round(x·10^d), and
 * while |k| < 2^52 one unit in the last place of k/10^d is below 10^-d, so no decimal with fewer digits lies
 * within half a unit of it: the shortest round-trip text (what JSON prints) is k's digits with the point put
 * back. Outside that range, below 1e-6 (printed with an exponent) and for non-finite x, String() decides.
 * Integer-to-text is far cheaper than the shortest-digits search for a double, three of them per answer.
 */
export function roundedText(x: number, decimals: number): string {
  const f = POW10[decimals];
  const k = Math.round(x * f);
  if (k === 0) return '0';
  const a = k < 0 ? -k : k;
  if (!(a < TWO_52) || a < f / 1e6) return String(k / f);
  const whole = Math.floor(a / f);
  let frac = a - whole * f;
  const sign = k < 0 ? '-' : '';
  if (frac === 0) return sign + whole;
  let digits = decimals;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const fracText = String(frac);
  return sign + whole + '.' + (fracText.length < digits ? '0'.repeat(digits - fracText.length) + fracText : fracText);
}

/** round(bearing, 4) % 360: a bearing that rounds up to 360 is 0. */
function bearingText(bearingDeg: number): string {
  return Math.round(bearingDeg * 1e4) === 3_600_000 ? '0' : roundedText(bearingDeg, 4);
}

/**
 * Whether String(Number(text)) === text for decimal text (an optional '-', digits, optionally '.' and
 * digits), so a number read from the input can be echoed without printing the double again: no '+', no
 * leading zeros, no trailing zeros or point, not "-0", not below 1e-6 (which prints with an exponent), and
 * at most 15 significant digits (distinct decimals of up to 15 digits are distinct doubles, so the text is
 * the shortest that reads back as its value).
 */
export function isCanonicalNumberText(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === 45) i++; // '-'
  const intStart = i;
  while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  const intEnd = i;
  if (intEnd === intStart || (text.charCodeAt(intStart) === 48 && intEnd - intStart > 1)) return false;
  const zeroWhole = text.charCodeAt(intStart) === 48;
  let significant = zeroWhole ? 0 : intEnd - intStart;
  if (i === end) return !(zeroWhole && intStart > start) && significant <= 15;
  if (text.charCodeAt(i) !== 46 || i + 1 === end || text.charCodeAt(end - 1) === 48) return false;
  i++;
  if (zeroWhole) {
    const fracStart = i;
    while (i < end && text.charCodeAt(i) === 48) i++;
    if (i - fracStart >= 6) return false;
  }
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    significant++;
  }
  return significant <= 15;
}
