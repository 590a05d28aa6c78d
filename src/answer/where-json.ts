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
 * A growing buffer of UTF-8 bytes that answers are written into. The batch CLI writes one answer per stdin
 * line straight into it: no intermediate objects or strings per answer (they were a fifth of its time in
 * garbage collection), and no second pass to encode them.
 */
export class ByteWriter {
  bytes: Uint8Array;
  private buffer: Buffer;
  used = 0;

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
    this.buffer = Buffer.from(this.bytes.buffer, 0, capacity);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.used + n));
    bigger.set(this.bytes.subarray(0, this.used));
    this.bytes = bigger;
    this.buffer = Buffer.from(bigger.buffer, 0, bigger.length);
  }

  byte(c: number): void {
    this.reserve(1);
    this.bytes[this.used++] = c;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    this.reserve(s.length * 3);
    this.used += this.buffer.write(s, this.used);
  }

  /** Text known to be ASCII (the fixed parts of the answer, numbers). */
  ascii(s: string): void {
    this.reserve(s.length);
    const b = this.bytes;
    let u = this.used;
    for (let i = 0; i < s.length; i++) b[u++] = s.charCodeAt(i);
    this.used = u;
  }

  /** Bytes made once (the fixed parts of the answer). */
  piece(p: Uint8Array): void {
    this.reserve(p.length);
    const b = this.bytes;
    let u = this.used;
    for (let i = 0; i < p.length; i++) b[u++] = p[i];
    this.used = u;
  }

  /** JSON.stringify(s). */
  jsonString(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c > 126 || c === 34 || c === 92) return this.text(JSON.stringify(s));
    }
    this.byte(34);
    this.ascii(s);
    this.byte(34);
  }

  /**
   * String(round(x, decimals)) (round: Math.round(x·10^d)/10^d) from integers: round() gives k/10^d for the
   * integer k = Math.round(x·10^d), and while |k| < 2^52 one unit in the last place of k/10^d is below
   * 10^-d, so no decimal with fewer digits lies within half a unit of it: the shortest round-trip text (what
   * JSON prints) is k's digits with the point put back. Outside that range, below 1e-6 (printed with an
   * exponent) and for non-finite x, String() decides. Far cheaper than the shortest-digits search for a double.
   */
  rounded(x: number, decimals: number): void {
    const f = POW10[decimals];
    const k = Math.round(x * f);
    if (k === 0) return this.byte(48);
    const a = k < 0 ? -k : k;
    if (!(a < TWO_52) || a < f / 1e6) return this.ascii(String(k / f));
    this.reserve(40);
    if (k < 0) this.bytes[this.used++] = 45;
    const whole = Math.floor(a / f);
    this.digits(whole);
    // Below 10^9, so small-integer arithmetic from here.
    let frac = (a - whole * f) | 0;
    if (frac === 0) return;
    let places = decimals;
    for (let q = (frac / 10) | 0; frac === q * 10; q = (frac / 10) | 0) {
      frac = q;
      places--;
    }
    const b = this.bytes;
    b[this.used++] = 46;
    // The fraction's digits, with the leading zeros its place needs.
    const end = this.used + places;
    for (let i = end - 1; i >= this.used; i--) {
      const q = (frac / 10) | 0;
      b[i] = 48 + frac - q * 10;
      frac = q;
    }
    this.used = end;
  }

  /** A non-negative integer below 2^53. */
  private digits(n: number): void {
    const b = this.bytes;
    if (n > 0x7fffffff) {
      const text = String(n);
      for (let i = 0; i < text.length; i++) b[this.used++] = text.charCodeAt(i);
      return;
    }
    let len = 1;
    for (let m = n; m >= 10; m = (m / 10) | 0) len++;
    const end = this.used + len;
    for (let i = end - 1; i >= this.used; i--) {
      const q = (n / 10) | 0;
      b[i] = 48 + n - q * 10;
      n = q;
    }
    this.used = end;
  }

  /** The bytes written since `from`, as text. */
  toString(from = 0): string {
    return this.buffer.toString('utf8', from, this.used);
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const TWO_52 = 2 ** 52;

/** The fixed parts of the answer, encoded once. */
const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const P0 = enc('{"lat":');
const P1 = enc(',"lon":');
const P2 = enc(',"mgrs":');
const P3 = enc(',"territory":');
const P4 = enc(',"confidence":');
const P5 = enc(',"boundary":{"distance_m":');
const P6 = enc(',"nearest":{"lat":');
const P7 = enc('},"bearing_deg":');
const P8 = enc(',"other_territory":');
const P9 = enc('},"fence":{"name":');
const P10 = enc('},"fence":null,"zone":');
const P11 = enc(',"certain":true,"accuracy_m":');
const P12 = enc(',"certain":false,"accuracy_m":');
const P13 = enc(',"side":"boundary","distance_m":');
const P14 = enc(',"side":"inland","distance_m":');
const P15 = enc(',"illustrative":true},"zone":');
const P16 = enc(',"illustrative":false},"zone":');
const P17 = enc('"strip"}');
const P18 = enc('"inland"}');

/**
 * Writes JSON.stringify(whereJson(det, mgrs)). `latText`/`lonText`, when given, are the JSON text of
 * det.lat/det.lon (see isCanonicalNumberText), copied instead of printing the doubles again.
 */
export function writeWhereJson(out: ByteWriter, det: Determination, mgrs: string, latText?: string, lonText?: string): void {
  const b = det.boundary;
  out.piece(P0);
  out.ascii(latText ?? String(det.lat));
  out.piece(P1);
  out.ascii(lonText ?? String(det.lon));
  out.piece(P2);
  out.jsonString(mgrs);
  out.piece(P3);
  out.jsonString(det.territory);
  out.piece(P4);
  out.rounded(det.confidence, 6);
  out.piece(det.certain ? P11 : P12);
  out.ascii(String(det.accuracyM));
  out.piece(P5);
  out.rounded(b.distanceM, 4);
  out.piece(P6);
  out.rounded(b.nearest.lat, 9);
  out.piece(P1);
  out.rounded(b.nearest.lon, 9);
  out.piece(P7);
  // round(bearing, 4) % 360: a bearing that rounds up to 360 is 0.
  if (Math.round(b.bearingDeg * 1e4) === 3_600_000) out.byte(48);
  else out.rounded(b.bearingDeg, 4);
  out.piece(P8);
  out.jsonString(b.otherTerritory);
  const f = det.fence;
  if (f) {
    out.piece(P9);
    out.jsonString(f.name);
    out.piece(f.side === 'boundary' ? P13 : P14);
    out.rounded(f.distanceM, 4);
    out.piece(f.illustrative ? P15 : P16);
  } else {
    out.piece(P10);
  }
  out.piece(det.zone === 'strip' ? P17 : P18);
}

const scratch = new ByteWriter();

/** JSON.stringify(whereJson(det, mgrs)), written out directly (see writeWhereJson). */
export function whereJsonText(det: Determination, mgrs: string, latText?: string, lonText?: string): string {
  scratch.used = 0;
  writeWhereJson(scratch, det, mgrs, latText, lonText);
  return scratch.toString();
}

/** String(round(x, decimals)), as the answer prints it (see ByteWriter.rounded). */
export function roundedText(x: number, decimals: number): string {
  scratch.used = 0;
  scratch.rounded(x, decimals);
  return scratch.toString();
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
