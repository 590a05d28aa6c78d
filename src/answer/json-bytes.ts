// Writing JSON as UTF-8 bytes into a buffer, without intermediate strings: the batch CLI writes one answer per
// stdin line this way (where-json.ts). Plain ES (TextEncoder, no Node Buffer): the dashboard and field mode
// load this module too.

export const UTF8 = new TextEncoder();
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

/** A run of bytes at u, in one copy (room made by the caller): for the longer runs. */
export function putRun(b: Uint8Array, u: number, run: Uint8Array): number {
  b.set(run, u);
  return u + run.length;
}

/** A short run of bytes at u (room made by the caller): for a few bytes a loop is cheaper than a copy call. */
export function putPiece(b: Uint8Array, u: number, p: Uint8Array): number {
  for (let i = 0; i < p.length; i++) b[u + i] = p[i];
  return u + p.length;
}

/** ASCII text at u (room made by the caller). */
export function putAscii(b: Uint8Array, u: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[u + i] = s.charCodeAt(i);
  return u + s.length;
}

/** The ASCII text of s from start to end at u (room made by the caller). */
export function putAsciiRange(b: Uint8Array, u: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) b[u++] = s.charCodeAt(i);
  return u;
}

/** JSON.stringify(s) at u (room made by the caller). */
export function putJsonString(out: ByteWriter, u: number, s: string): number {
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
export function putRounded(b: Uint8Array, u: number, x: number, decimals: number): number {
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
export function putDigits(b: Uint8Array, u: number, n: number): number {
  if (n > 0x7fffffff) return putAscii(b, u, String(n));
  let len = 1;
  for (let m = n; m >= 10; m = (m / 10) | 0) len++;
  return putFixedDigits(b, u, n, len);
}

/** The last `count` decimal digits of a non-negative integer below 2^31, leading zeros included, at u. */
export function putFixedDigits(b: Uint8Array, u: number, n: number, count: number): number {
  const end = u + count;
  for (let i = end - 1; i >= u; i--) {
    const q = (n / 10) | 0;
    b[i] = 48 + n - q * 10;
    n = q;
  }
  return end;
}
