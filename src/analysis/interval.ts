// The time between two consecutive fixes of a unit: where it crossed, and how long it was on each side.
import { classify, lineSetCrossings, segmentCrossings, type ClassifyOptions, type Determination, type Layers, type SegmentCrossing } from '../geo/index.js';
import type { Fix } from '../model/index.js';

/** A fix with its side of the line: from classify, or carried over from one when a bound proves it. */
export interface Observed {
  fix: Fix;
  /** Null outside every territory the layers cover. */
  territory: string | null;
  /** Exact when `determination` is present; otherwise a proven lower bound. */
  distanceM: number;
  determination?: Determination;
}

/** Key of the time spent outside every territory the layers cover, beside the territory codes. */
export const OUTSIDE = 'outside';

/** No crossings: shared, never changed (an interval without one is the common case). */
export const NO_CROSSINGS: readonly SegmentCrossing[] = Object.freeze([]);

/**
 * Boundary crossings of the segment a→b whose sides chain from a's territory to b's, as classify gave
 * them. They agree except when a fix lies on the line to within rounding: then a crossing that classify
 * contradicts is dropped, and a missing one is put at the fix nearer the line.
 */
export function chainedCrossings(layers: Layers, a: Observed, b: Observed): SegmentCrossing[] {
  const raw = segmentCrossings(layers, a.fix, b.fix);
  // Leaving or entering the layers' coverage is no crossing: only the line's own crossings are.
  if (a.territory === null || b.territory === null) return raw;
  const target = b.territory;
  let side = a.territory;
  if (raw.length === 0 && side === target) return raw;
  const out: SegmentCrossing[] = [];
  for (const c of raw) {
    if (c.from !== side) continue;
    out.push(c);
    side = c.to;
  }
  if (side === target) return out;
  if (out.length > 0 && out[out.length - 1].from === target) {
    out.pop();
    return out;
  }
  const atStart = out.length === 0 && a.distanceM < b.distanceM;
  const at = atStart ? a.fix : b.fix;
  out.push({ s: atStart ? 0 : 1, lat: at.lat, lon: at.lon, from: side, to: target });
  return out;
}

/** Adds the interval a→b to `timeInMs`, split at its crossings (constant speed along the segment). */
export function addTimeIn(timeInMs: Map<string, number>, a: Observed, b: Observed, crossings: readonly SegmentCrossing[]): void {
  const t0 = a.fix.time, dt = b.fix.time - t0;
  let side = a.territory ?? OUTSIDE;
  let s = 0;
  for (const c of crossings) {
    timeInMs.set(side, (timeInMs.get(side) ?? 0) + (c.s - s) * dt);
    s = c.s;
    side = c.to;
  }
  timeInMs.set(side, (timeInMs.get(side) ?? 0) + (1 - s) * dt);
}

/**
 * Milliseconds of the interval a→b spent in the strip. The zone can only change where the segment
 * crosses the boundary or a fence: each piece between those places takes the zone of the fix it touches,
 * and a piece touching neither fix (out and back within one interval) the zone classify gives its middle.
 * A zone change with no crossing found (the nearest fence changed) splits the interval in half.
 * Both fixes need their determination (fixes are always classified when there is a fence layer).
 */
export function stripMs(layers: Layers, a: Observed, b: Observed, crossings: readonly SegmentCrossing[], options: ClassifyOptions): number {
  if (!layers.fences || !a.determination || !b.determination) return 0;
  const dt = b.fix.time - a.fix.time;
  const zoneA = a.determination.zone, zoneB = b.determination.zone;
  const fenceCrossings = lineSetCrossings(layers.fences, a.fix, b.fix);
  if (crossings.length === 0 && fenceCrossings.length === 0) {
    return zoneA === zoneB ? (zoneA === 'strip' ? dt : 0) : dt / 2;
  }
  const cuts = [0, ...crossings.map((c) => c.s), ...fenceCrossings.map((c) => c.s), 1].sort((x, y) => x - y);
  let total = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const s0 = cuts[k], s1 = cuts[k + 1];
    if (s1 <= s0) continue;
    let zone = k === 0 ? zoneA : k + 2 === cuts.length ? zoneB : undefined;
    if (zone === undefined) {
      const mid = (s0 + s1) / 2;
      zone = classify({ lat: a.fix.lat + mid * (b.fix.lat - a.fix.lat), lon: a.fix.lon + mid * (b.fix.lon - a.fix.lon) }, layers, options).zone;
    }
    if (zone === 'strip') total += (s1 - s0) * dt;
  }
  return total;
}
