import type { Determination } from '../geo/index.js';
import { ByteWriter, putAscii, putAsciiRange, putJsonString, putPiece, putRounded, putRun, UTF8 } from './json-bytes.js';

export { ByteWriter };

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
  /** The side of the square the position as written names (an MGRS reference's, or the cell coarse digits are rounded to), metres; absent for a point. */
  square_m?: number;
}

const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/** The determination's part of the answer (no position): what the API attaches to stored fixes and alerts. */
export type DeterminationJson = Omit<WhereJson, 'lat' | 'lon' | 'mgrs'>;

/** Snake-case wire form of a determination. Distances to 0.1 mm, coordinates to ~0.1 mm, bearing to 1e-4°. */
export function determinationJson(det: Determination): DeterminationJson {
  const json: DeterminationJson = {
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
  if (det.squareM !== undefined) json.square_m = det.squareM;
  return json;
}

/** The answer to "where am I?" for a position: where it is, its MGRS reference, and its determination. */
export function whereJson(det: Determination, mgrs: string): WhereJson {
  return { lat: det.lat, lon: det.lon, mgrs, ...determinationJson(det) };
}


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
const SQUARE = enc(',"square_m":');

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
 * (the batch writes one answer per stdin line, and this was a fifth of its time). The three long runs
 * between the answer's varying numbers come from small caches (see AnswerRuns): in a batch most answers
 * share them.
 */
export function writeWhereJson(out: ByteWriter, det: Determination, mgrs: string, echo?: EchoedNumbers): void {
  const bd = det.boundary;
  const f = det.fence;
  const latEnd = echo ? echo.latEnd : -1, lonStart = echo ? echo.lonStart : -1, line = echo ? echo.text : '';
  const lat = latEnd >= 0 ? '' : String(det.lat), lon = lonStart >= 0 ? '' : String(det.lon);
  const territoryRun = territoryRuns.get(det.territory, det.outside, null, null, null, null, det);
  const uncertaintyRun = uncertaintyRuns.get(det.certain, det.accuracyM, det.accuracyAssumed, det.lineUncertaintyM, det.uncertaintyM, det.uncertaintyDominant, det);
  const sidesRun = sidesRuns.get(bd.otherTerritory, bd.between[0], bd.between[1], f === null, det.zone, null, det);
  // The runs, the fixed parts, numbers (at most 25 characters each), strings at their longest escaped (6 bytes
  // a unit), and the fence's part when there is one.
  out.reserve(territoryRun.length + uncertaintyRun.length + sidesRun.length + FIXED_BYTES + line.length + lat.length + lon.length + 11 * 25 +
    6 * (mgrs.length + (f ? f.name.length : 0)));
  const b = out.bytes;
  let u = out.used;
  u = putPiece(b, u, OPEN_LAT);
  u = latEnd >= 0 ? putAsciiRange(b, u, line, 0, latEnd) : putAscii(b, u, lat);
  u = putPiece(b, u, LON);
  u = lonStart >= 0 ? putAsciiRange(b, u, line, lonStart, line.length) : putAscii(b, u, lon);
  u = putPiece(b, u, MGRS);
  u = putJsonString(out, u, mgrs);
  u = putRun(b, u, territoryRun);
  u = putRounded(b, u, det.confidence, 6);
  u = putRun(b, u, uncertaintyRun);
  u = putRounded(b, u, bd.distanceM, 4);
  u = putPiece(b, u, NEAREST_LAT);
  u = putRounded(b, u, bd.nearest.lat, 9);
  u = putPiece(b, u, LON);
  u = putRounded(b, u, bd.nearest.lon, 9);
  u = putPiece(b, u, BEARING);
  // round(bearing, 4) % 360: a bearing that rounds up to 360 is 0.
  if (Math.round(bd.bearingDeg * 1e4) === 3_600_000) b[u++] = 48;
  else u = putRounded(b, u, bd.bearingDeg, 4);
  u = putRun(b, u, sidesRun);
  if (f) {
    u = putJsonString(out, u, f.name);
    u = putPiece(b, u, f.side === 'boundary' ? SIDE_BOUNDARY : SIDE_INLAND);
    u = putRounded(b, u, f.distanceM, 4);
    u = putPiece(b, u, f.illustrative ? ILLUSTRATIVE_TRUE_ZONE : ILLUSTRATIVE_FALSE_ZONE);
    u = putPiece(b, u, det.zone === 'strip' ? STRIP : INLAND);
  }
  if (det.squareM !== undefined) {
    // Last, as determinationJson adds it: in place of the closing brace.
    u = putPiece(b, u - 1, SQUARE);
    u = putAscii(b, u, String(det.squareM));
    b[u++] = 125;
  }
  out.used = u;
}

/** `,"territory":…,"confidence":` */
function writeTerritoryRun(w: ByteWriter, det: Determination): void {
  let u = putPiece(w.bytes, w.used, TERRITORY);
  u = det.territory === null ? putPiece(w.bytes, u, NULL) : putJsonString(w, u, det.territory);
  w.used = putPiece(w.bytes, u, det.outside ? OUTSIDE_TRUE : OUTSIDE_FALSE);
}

/** `,"certain":…,"boundary":{"distance_m":` */
function writeUncertaintyRun(w: ByteWriter, det: Determination): void {
  const b = w.bytes;
  let u = putPiece(b, w.used, det.certain ? CERTAIN_TRUE_ACCURACY : CERTAIN_FALSE_ACCURACY);
  u = putAscii(b, u, String(det.accuracyM));
  u = putPiece(b, u, det.accuracyAssumed ? ASSUMED_TRUE_LINE : ASSUMED_FALSE_LINE);
  u = putAscii(b, u, String(det.lineUncertaintyM));
  u = putPiece(b, u, UNCERTAINTY);
  u = putRounded(b, u, det.uncertaintyM, 4);
  w.used = putPiece(b, u, det.uncertaintyDominant === 'line' ? DOMINANT_LINE_BOUNDARY : DOMINANT_POSITION_BOUNDARY);
}

/** `,"other_territory":…,"between":[…]},"fence":` and, without a fence, the rest of the answer; with one, its `{"name":`. */
function writeSidesRun(w: ByteWriter, det: Determination): void {
  const bd = det.boundary;
  let u = putPiece(w.bytes, w.used, OTHER_TERRITORY);
  u = bd.otherTerritory === null ? putPiece(w.bytes, u, NULL) : putJsonString(w, u, bd.otherTerritory);
  u = putPiece(w.bytes, u, BETWEEN);
  u = putJsonString(w, u, bd.between[0]);
  u = putPiece(w.bytes, u, COMMA);
  u = putJsonString(w, u, bd.between[1]);
  if (det.fence) {
    w.used = putPiece(w.bytes, u, FENCE_NAME);
    return;
  }
  u = putPiece(w.bytes, u, NO_FENCE_ZONE);
  w.used = putPiece(w.bytes, u, det.zone === 'strip' ? STRIP : INLAND);
}

/** How many different runs of each kind are kept: a batch along one line has two territories, certain or not. */
const RUNS_KEPT = 4;

/**
 * A run of the answer's bytes that depends only on a few of the determination's values (up to six, compared
 * with ===), cached for the last RUNS_KEPT sets of them. A batch answers thousands of positions with the same
 * accuracy, the same line and the same two territories, so these runs are written once and then copied.
 */
class AnswerRuns {
  private readonly keys: unknown[] = new Array<unknown>(RUNS_KEPT * 6).fill(undefined);
  private readonly runs: (Uint8Array | null)[] = new Array<Uint8Array | null>(RUNS_KEPT).fill(null);
  private next = 0;
  private readonly scratch = new ByteWriter(1024);

  constructor(private readonly write: (w: ByteWriter, det: Determination) => void, private readonly maxBytes: (det: Determination) => number) {}

  get(k0: unknown, k1: unknown, k2: unknown, k3: unknown, k4: unknown, k5: unknown, det: Determination): Uint8Array {
    const keys = this.keys;
    for (let r = 0, o = 0; r < RUNS_KEPT; r++, o += 6) {
      const run = this.runs[r];
      if (run !== null && keys[o] === k0 && keys[o + 1] === k1 && keys[o + 2] === k2 && keys[o + 3] === k3 && keys[o + 4] === k4 && keys[o + 5] === k5) return run;
    }
    const w = this.scratch;
    w.used = 0;
    w.reserve(this.maxBytes(det));
    this.write(w, det);
    const run = w.bytes.slice(0, w.used);
    const r = this.next;
    this.next = (r + 1) % RUNS_KEPT;
    const o = r * 6;
    keys[o] = k0; keys[o + 1] = k1; keys[o + 2] = k2; keys[o + 3] = k3; keys[o + 4] = k4; keys[o + 5] = k5;
    this.runs[r] = run;
    return run;
  }
}

const territoryRuns = new AnswerRuns(writeTerritoryRun, (det) => 64 + 6 * (det.territory?.length ?? 0));
const uncertaintyRuns = new AnswerRuns(writeUncertaintyRun, (det) => 256 + String(det.accuracyM).length + String(det.lineUncertaintyM).length);
const sidesRuns = new AnswerRuns(writeSidesRun, (det) =>
  128 + 6 * ((det.boundary.otherTerritory?.length ?? 0) + det.boundary.between[0].length + det.boundary.between[1].length));

const FIXED_BYTES = [OPEN_LAT, LON, MGRS, TERRITORY, NULL, OUTSIDE_FALSE, CERTAIN_FALSE_ACCURACY, ASSUMED_FALSE_LINE, UNCERTAINTY,
  DOMINANT_POSITION_BOUNDARY, NEAREST_LAT, LON, BEARING, OTHER_TERRITORY, NULL, BETWEEN, COMMA, FENCE_NAME, SIDE_BOUNDARY,
  ILLUSTRATIVE_FALSE_ZONE, INLAND, SQUARE].reduce((n, p) => n + p.length, 0) + 16;

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
