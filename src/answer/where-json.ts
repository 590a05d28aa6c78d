import type { Determination } from '../geo/index.js';

/** The public answer to "where am I?": the object `lindero where --json` prints and GET /api/v1/where returns. */
export interface WhereJson {
  lat: number;
  lon: number;
  mgrs: string;
  /** Null when the position is outside every territory the layers cover. */
  territory: string | null;
  outside: boolean;
  confidence: number;
  certain: boolean;
  accuracy_m: number;
  /** True when the position came without an accuracy and accuracy_m is the assumed one. */
  accuracy_assumed: boolean;
  line_uncertainty_m: number;
  uncertainty_m: number;
  uncertainty_dominant: 'position' | 'line';
  boundary: { distance_m: number; nearest: { lat: number; lon: number }; bearing_deg: number; other_territory: string | null; between: [string, string] };
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
    outside: det.outside,
    confidence: round(det.confidence, 6),
    certain: det.certain,
    accuracy_m: det.accuracyM,
    accuracy_assumed: det.accuracyAssumed,
    line_uncertainty_m: det.lineUncertaintyM,
    uncertainty_m: round(det.uncertaintyM, 4),
    uncertainty_dominant: det.uncertaintyDominant,
    boundary: {
      distance_m: round(det.boundary.distanceM, 4),
      nearest: { lat: round(det.boundary.nearest.lat, 9), lon: round(det.boundary.nearest.lon, 9) },
      bearing_deg: round(det.boundary.bearingDeg, 4) % 360,
      other_territory: det.boundary.otherTerritory,
      between: det.boundary.between,
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

/** Plain ES (TextEncoder, no Node Buffer): the dashboard and field mode load this module too. */
const UTF8 = new TextEncoder();
const UTF8_TEXT = new TextDecoder();

/**
 * A growing buffer of UTF-8 bytes that answers are written into. The batch CLI writes one answer per stdin
 * line straight into it: no intermediate objects or strings per answer (they were a fifth of its time in
 * garbage collection), and no second pass to encode them.
 */
export class ByteWriter {
  bytes: Uint8Array;
  used = 0;

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.used + n));
    bigger.set(this.bytes.subarray(0, this.used));
    this.bytes = bigger;
  }

  byte(c: number): void {
    this.reserve(1);
    this.bytes[this.used++] = c;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    this.reserve(s.length * 3);
    this.used += this.writeAt(s, this.used);
  }

  /** `s` as UTF-8 at byte `at` (room made by the caller); returns the bytes written. */
  writeAt(s: string, at: number): number {
    return UTF8.encodeInto(s, this.bytes.subarray(at)).written;
  }

  /** JSON.stringify(s). */
  jsonString(s: string): void {
    this.reserve(6 * s.length + 2);
    this.used = putJsonString(this, this.used, s);
  }

  /**
   * String(round(x, decimals)) (round: Math.round(x·10^d)/10^d) from integers: round() gives k/10^d for the
   * integer k = Math.round(x·10^d), and while |k| < 2^52 one unit in the last place of k/10^d is below
   * 10^-d, so no decimal with fewer digits lies within half a unit of it: the shortest round-trip text (what
   * JSON prints) is k's digits with the point put back. Outside that range, below 1e-6 (printed with an
   * exponent) and for non-finite x, String() decides. Far cheaper than the shortest-digits search for a double.
   */
  rounded(x: number, decimals: number): void {
    this.reserve(25);
    this.used = putRounded(this.bytes, this.used, x, decimals);
  }

  /** The bytes written since `from`, as text. */
  toString(from = 0): string {
    return UTF8_TEXT.decode(this.bytes.subarray(from, this.used));
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const TWO_52 = 2 ** 52;

/** The fixed parts of the answer, encoded once, named by the field they open. */
const enc = (s: string): Uint8Array => UTF8.encode(s);
const OPEN_LAT = enc('{"lat":');
const LON = enc(',"lon":');
const MGRS = enc(',"mgrs":');
const TERRITORY = enc(',"territory":');
const NULL = enc('null');
const OUTSIDE_TRUE = enc(',"outside":true,"confidence":');
const OUTSIDE_FALSE = enc(',"outside":false,"confidence":');
const CERTAIN_TRUE_ACCURACY = enc(',"certain":true,"accuracy_m":');
const CERTAIN_FALSE_ACCURACY = enc(',"certain":false,"accuracy_m":');
const ASSUMED_TRUE_LINE = enc(',"accuracy_assumed":true,"line_uncertainty_m":');
const ASSUMED_FALSE_LINE = enc(',"accuracy_assumed":false,"line_uncertainty_m":');
const UNCERTAINTY = enc(',"uncertainty_m":');
const DOMINANT_POSITION_BOUNDARY = enc(',"uncertainty_dominant":"position","boundary":{"distance_m":');
const DOMINANT_LINE_BOUNDARY = enc(',"uncertainty_dominant":"line","boundary":{"distance_m":');
const NEAREST_LAT = enc(',"nearest":{"lat":');
const BEARING = enc('},"bearing_deg":');
const OTHER_TERRITORY = enc(',"other_territory":');
const BETWEEN = enc(',"between":[');
const COMMA = enc(',');
const FENCE_NAME = enc(']},"fence":{"name":');
const NO_FENCE_ZONE = enc(']},"fence":null,"zone":');
const SIDE_BOUNDARY = enc(',"side":"boundary","distance_m":');
const SIDE_INLAND = enc(',"side":"inland","distance_m":');
const ILLUSTRATIVE_TRUE_ZONE = enc(',"illustrative":true},"zone":');
const ILLUSTRATIVE_FALSE_ZONE = enc(',"illustrative":false},"zone":');
const STRIP = enc('"strip"}');
const INLAND = enc('"inland"}');

/**
 * Where the input line's numbers may be copied from instead of printing the doubles again: `text` from 0
 * to `latEnd` is the JSON text of the latitude when `latEnd` ≥ 0, from `lonStart` to its end that of the
 * longitude when `lonStart` ≥ 0 (see isCanonicalNumberText).
 */
export interface EchoedNumbers {
  text: string;
  latEnd: number;
  lonStart: number;
}

/**
 * Writes JSON.stringify(whereJson(det, mgrs)), the position's numbers copied from `echo` where it has
 * them. Room for the whole answer is made once; the parts are then written at a position carried along
 * (the batch writes one answer per stdin line, and this was a fifth of its time).
 */
export function writeWhereJson(out: ByteWriter, det: Determination, mgrs: string, echo?: EchoedNumbers): void {
  const bd = det.boundary;
  const f = det.fence;
  const latEnd = echo ? echo.latEnd : -1, lonStart = echo ? echo.lonStart : -1, line = echo ? echo.text : '';
  const lat = latEnd >= 0 ? '' : String(det.lat), lon = lonStart >= 0 ? '' : String(det.lon), accuracy = String(det.accuracyM);
  const lineUncertainty = String(det.lineUncertaintyM);
  // Fixed parts, numbers (at most 25 characters each), and strings at their longest escaped (6 bytes a unit).
  out.reserve(FIXED_BYTES + line.length + lat.length + lon.length + accuracy.length + lineUncertainty.length + 10 * 25 +
    6 * (mgrs.length + (det.territory?.length ?? 4) + (bd.otherTerritory?.length ?? 4) + bd.between[0].length + bd.between[1].length + (f ? f.name.length : 0)));
  const b = out.bytes;
  let u = out.used;
  u = putPiece(b, u, OPEN_LAT);
  u = latEnd >= 0 ? putAsciiRange(b, u, line, 0, latEnd) : putAscii(b, u, lat);
  u = putPiece(b, u, LON);
  u = lonStart >= 0 ? putAsciiRange(b, u, line, lonStart, line.length) : putAscii(b, u, lon);
  u = putPiece(b, u, MGRS);
  u = putJsonString(out, u, mgrs);
  u = putPiece(b, u, TERRITORY);
  u = det.territory === null ? putPiece(b, u, NULL) : putJsonString(out, u, det.territory);
  u = putPiece(b, u, det.outside ? OUTSIDE_TRUE : OUTSIDE_FALSE);
  u = putRounded(b, u, det.confidence, 6);
  u = putPiece(b, u, det.certain ? CERTAIN_TRUE_ACCURACY : CERTAIN_FALSE_ACCURACY);
  u = putAscii(b, u, accuracy);
  u = putPiece(b, u, det.accuracyAssumed ? ASSUMED_TRUE_LINE : ASSUMED_FALSE_LINE);
  u = putAscii(b, u, lineUncertainty);
  u = putPiece(b, u, UNCERTAINTY);
  u = putRounded(b, u, det.uncertaintyM, 4);
  u = putPiece(b, u, det.uncertaintyDominant === 'line' ? DOMINANT_LINE_BOUNDARY : DOMINANT_POSITION_BOUNDARY);
  u = putRounded(b, u, bd.distanceM, 4);
  u = putPiece(b, u, NEAREST_LAT);
  u = putRounded(b, u, bd.nearest.lat, 9);
  u = putPiece(b, u, LON);
  u = putRounded(b, u, bd.nearest.lon, 9);
  u = putPiece(b, u, BEARING);
  // round(bearing, 4) % 360: a bearing that rounds up to 360 is 0.
  if (Math.round(bd.bearingDeg * 1e4) === 3_600_000) b[u++] = 48;
  else u = putRounded(b, u, bd.bearingDeg, 4);
  u = putPiece(b, u, OTHER_TERRITORY);
  u = bd.otherTerritory === null ? putPiece(b, u, NULL) : putJsonString(out, u, bd.otherTerritory);
  u = putPiece(b, u, BETWEEN);
  u = putJsonString(out, u, bd.between[0]);
  u = putPiece(b, u, COMMA);
  u = putJsonString(out, u, bd.between[1]);
  if (f) {
    u = putPiece(b, u, FENCE_NAME);
    u = putJsonString(out, u, f.name);
    u = putPiece(b, u, f.side === 'boundary' ? SIDE_BOUNDARY : SIDE_INLAND);
    u = putRounded(b, u, f.distanceM, 4);
    u = putPiece(b, u, f.illustrative ? ILLUSTRATIVE_TRUE_ZONE : ILLUSTRATIVE_FALSE_ZONE);
  } else {
    u = putPiece(b, u, NO_FENCE_ZONE);
  }
  u = putPiece(b, u, det.zone === 'strip' ? STRIP : INLAND);
  out.used = u;
}

const FIXED_BYTES = [OPEN_LAT, LON, MGRS, TERRITORY, NULL, OUTSIDE_FALSE, CERTAIN_FALSE_ACCURACY, ASSUMED_FALSE_LINE, UNCERTAINTY,
  DOMINANT_POSITION_BOUNDARY, NEAREST_LAT, LON, BEARING, OTHER_TERRITORY, NULL, BETWEEN, COMMA, FENCE_NAME, SIDE_BOUNDARY,
  ILLUSTRATIVE_FALSE_ZONE, INLAND].reduce((n, p) => n + p.length, 0) + 16;

function putPiece(b: Uint8Array, u: number, p: Uint8Array): number {
  for (let i = 0; i < p.length; i++) b[u + i] = p[i];
  return u + p.length;
}

function putAscii(b: Uint8Array, u: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[u + i] = s.charCodeAt(i);
  return u + s.length;
}

function putAsciiRange(b: Uint8Array, u: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) b[u++] = s.charCodeAt(i);
  return u;
}

/** JSON.stringify(s) at u (room made by the caller). */
function putJsonString(out: ByteWriter, u: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return u + out.writeAt(JSON.stringify(s), u);
  }
  const b = out.bytes;
  b[u] = 34;
  putAscii(b, u + 1, s);
  b[u + 1 + s.length] = 34;
  return u + s.length + 2;
}

/** ByteWriter.rounded at u (room for 25 bytes made by the caller). */
function putRounded(b: Uint8Array, u: number, x: number, decimals: number): number {
  const f = POW10[decimals];
  const k = Math.round(x * f);
  if (k === 0) {
    b[u] = 48;
    return u + 1;
  }
  const a = k < 0 ? -k : k;
  if (!(a < TWO_52) || a < f / 1e6) return putAscii(b, u, String(k / f));
  if (k < 0) b[u++] = 45;
  const whole = Math.floor(a / f);
  u = putDigits(b, u, whole);
  // Below 10^9, so small-integer arithmetic from here.
  let frac = (a - whole * f) | 0;
  if (frac === 0) return u;
  let places = decimals;
  for (let q = (frac / 10) | 0; frac === q * 10; q = (frac / 10) | 0) {
    frac = q;
    places--;
  }
  b[u++] = 46;
  // The fraction's digits, with the leading zeros its place needs.
  return putFixedDigits(b, u, frac, places);
}

/** A non-negative integer below 2^53, at u. */
function putDigits(b: Uint8Array, u: number, n: number): number {
  if (n > 0x7fffffff) return putAscii(b, u, String(n));
  let len = 1;
  for (let m = n; m >= 10; m = (m / 10) | 0) len++;
  return putFixedDigits(b, u, n, len);
}

/** The last `count` decimal digits of a non-negative integer below 2^31, leading zeros included, at u. */
function putFixedDigits(b: Uint8Array, u: number, n: number, count: number): number {
  const end = u + count;
  for (let i = end - 1; i >= u; i--) {
    const q = (n / 10) | 0;
    b[i] = 48 + n - q * 10;
    n = q;
  }
  return end;
}

let scratchWriter: ByteWriter | null = null;
const scratch = (): ByteWriter => {
  scratchWriter ??= new ByteWriter();
  scratchWriter.used = 0;
  return scratchWriter;
};

/** JSON.stringify(whereJson(det, mgrs)), written out directly (see writeWhereJson). */
export function whereJsonText(det: Determination, mgrs: string): string {
  const out = scratch();
  writeWhereJson(out, det, mgrs);
  return out.toString();
}

/** String(round(x, decimals)), as the answer prints it (see ByteWriter.rounded). */
export function roundedText(x: number, decimals: number): string {
  const out = scratch();
  out.rounded(x, decimals);
  return out.toString();
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
