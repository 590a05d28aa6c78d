// One unit's share of a track analysis: constant state per unit, whatever the length of its track.
import { ASSUMED_ACCURACY_M, classify, makeProbe, type ClassifyOptions, type Layers } from '../geo/index.js';
import type { Fix } from '../model/index.js';
import { CrossingConfirmation } from '../rules/index.js';
import { distanceUpperBoundM } from './distance-bound.js';
import { addTimeIn, chainedCrossings, NO_CROSSINGS, stripMs, type Observed } from './interval.js';
import type { ClosestApproach, CrossingReport, EmergencyReport, GapReport, RejectedRecord, UnitReport } from './report.js';
import { ReorderWindow } from '../rules/index.js';
import { resolveRuleOptions } from '../rules/index.js';
import { StripRule } from '../rules/index.js';
import { TrackLine } from './track-line.js';

export interface AnalysisSettings {
  layers: Layers;
  gapMs: number;
  confirmSigma: number;
  classifyOptions: ClassifyOptions;
  keepTrack: boolean;
  /** Skip classify where a distance bound proves it changes nothing (see UnitAnalysis.estimate). */
  estimate: boolean;
  reject: (record: RejectedRecord) => void;
}

/**
 * Fixes out of device-time order by up to this many places within a unit are put back in order; a fix
 * older than one already analysed is rejected. This bounds memory at this many fixes per unit.
 */
export const REORDER_WINDOW = 64;

/** Added to distance bounds, metres: covers rounding in classify's distances, which are exact to far less. */
const BOUND_MARGIN_M = 1e-3;

export class UnitAnalysis {
  private readonly window = new ReorderWindow(REORDER_WINDOW + 1);
  private prev: Observed | undefined;
  private points = 0;
  private start = 0;
  private end = 0;
  private readonly crossings: CrossingReport[] = [];
  private readonly gaps: GapReport[] = [];
  private readonly emergencies: EmergencyReport[] = [];
  private readonly timeInMs = new Map<string, number>();
  private stripTotalMs = 0;
  private stripEntries = 0;
  private closest: ClosestApproach | undefined;
  private readonly maxDepthM = new Map<string, number>();
  private readonly confirmation: CrossingConfirmation;
  private readonly strip: StripRule;
  private readonly line: TrackLine | undefined;
  /** The last classified fix, and an upper bound on the distance from it to the previous fix. */
  private reference: Observed | undefined;
  private prevFromReferenceM = 0;
  /** Set by estimate(): the bound on the distance from the reference to the fix it estimated. */
  private estimateFromReferenceM = 0;
  /** Fixes given to classify. */
  classifiedFixes = 0;

  constructor(readonly unit: string, private readonly settings: AnalysisSettings) {
    this.confirmation = new CrossingConfirmation(settings.confirmSigma);
    this.strip = new StripRule(resolveRuleOptions({ confirmSigma: settings.confirmSigma }));
    this.line = settings.keepTrack ? new TrackLine() : undefined;
  }

  /** A fix read from `file` at `line` (0: no line to point at). */
  add(fix: Fix, file: string, line = 0): void {
    if (this.prev && fix.time < this.prev.fix.time) {
      this.settings.reject({ file, line, reason: `fix of unit ${this.unit} at ${iso(fix.time)} is out of order: it is before ${iso(this.prev.fix.time)}, already analysed (fixes are taken in device-time order within ${REORDER_WINDOW} places)` });
      return;
    }
    this.window.insert(fix, file, line);
    if (this.window.size > REORDER_WINDOW) this.processOldest();
  }

  private processOldest(): void {
    const fix = this.window.oldestFix(), file = this.window.oldestFile(), line = this.window.oldestLine();
    this.window.dropOldest();
    this.process(fix, file, line);
  }

  finish(territories: string[]): UnitReport {
    while (this.window.size > 0) this.processOldest();
    const timeInS: Record<string, number> = {};
    const maxDepthM: Record<string, number | null> = {};
    for (const t of [...territories, ...this.timeInMs.keys(), ...this.maxDepthM.keys()]) {
      timeInS[t] = (this.timeInMs.get(t) ?? 0) / 1000;
      maxDepthM[t] = this.maxDepthM.get(t) ?? null;
    }
    return {
      unit: this.unit,
      points: this.points,
      start: this.start,
      end: this.end,
      crossings: this.crossings,
      closestApproach: this.closest!,
      timeInS,
      strip: { entries: this.stripEntries, seconds: this.stripTotalMs / 1000 },
      maxDepthM,
      gaps: this.gaps,
      emergencies: this.emergencies,
      track: this.line?.parts(),
    };
  }

  private process(fix: Fix, file: string, line: number): void {
    const prev = this.prev;
    if (prev && fix.time === prev.fix.time) {
      const same = fix.lat === prev.fix.lat && fix.lon === prev.fix.lon;
      this.settings.reject({ file, line, reason: same
        ? `fix of unit ${this.unit} at ${iso(fix.time)} repeats the previous one`
        : `unit ${this.unit} has two different positions at ${iso(fix.time)}; the first is kept` });
      return;
    }
    const afterGap = prev !== undefined && fix.time - prev.fix.time > this.settings.gapMs;
    const cur = this.observe(fix, prev, afterGap);
    if (!prev) this.start = fix.time;
    else if (afterGap) {
      const crossed = prev.territory !== null && cur.territory !== null && prev.territory !== cur.territory;
      this.gaps.push({ from: prev.fix.time, to: fix.time, crossed });
      if (crossed) this.confirmation.crossedGap();
    } else this.interval(prev, cur);
    this.confirmation.fix(cur.territory, cur.settled);
    const det = cur.determination;
    if (det) {
      // Fixes without a determination were proven unable to change any of these.
      if (this.strip.observe(det, det.accuracyM) === 'entered-strip') this.stripEntries++;
      if (!this.closest || cur.distanceM < this.closest.distanceM) {
        this.closest = { time: fix.time, lat: fix.lat, lon: fix.lon, distanceM: cur.distanceM, territory: cur.territory };
      }
      if (cur.territory !== null && cur.distanceM > (this.maxDepthM.get(cur.territory) ?? -1)) this.maxDepthM.set(cur.territory, cur.distanceM);
      // A fix that declares an emergency is always classified (estimate() leaves it alone).
      if (fix.emergency) {
        this.emergencies.push({ time: fix.time, state: fix.emergency.state, what: fix.emergency.what, lat: fix.lat, lon: fix.lon, territory: cur.territory, distanceM: cur.distanceM });
      }
    }
    this.line?.add(fix.lon, fix.lat, afterGap);
    this.points++;
    this.end = fix.time;
    this.prev = cur;
  }

  /** The fix's side and distance: classified, or carried over from the last classified fix when that is proven to change nothing. */
  private observe(fix: Fix, prev: Observed | undefined, afterGap: boolean): Observed & { settled: boolean } {
    const estimate = this.estimate(fix, prev, afterGap);
    if (estimate) {
      this.prevFromReferenceM = this.estimateFromReferenceM;
      return estimate;
    }
    const det = classify(fix, this.settings.layers, this.settings.classifyOptions);
    this.classifiedFixes++;
    const distanceM = det.boundary.distanceM;
    const observed = { fix, territory: det.territory, distanceM, determination: det, settled: distanceM > this.confirmation.settledBeyondM(det.uncertaintyM) };
    this.reference = observed;
    this.prevFromReferenceM = 0;
    return observed;
  }

  /**
   * Distance to the line is 1-Lipschitz: a fix at most D from the last classified one (distance d) is
   * between d − D and d + D from the line, on the same side while d − D > 0. When those bounds prove the
   * fix can change nothing in the report (no crossing on the segment leading to it, no new closest
   * approach or depth, no undecided settling), classify is skipped for it. Not with a fence layer.
   */
  private estimate(fix: Fix, prev: Observed | undefined, afterGap: boolean): (Observed & { settled: boolean }) | null {
    const ref = this.reference;
    if (!this.settings.estimate || fix.emergency || !ref || !prev || !this.closest || this.settings.layers.fences || ref.territory === null) return null;
    const fromReferenceM = distanceUpperBoundM(ref.fix, fix) + BOUND_MARGIN_M;
    const lowerM = ref.distanceM - fromReferenceM, upperM = ref.distanceM + fromReferenceM;
    if (lowerM <= 0 || lowerM < this.closest.distanceM || upperM > (this.maxDepthM.get(ref.territory) ?? -1)) return null;
    // Every point of the segment from prev is within (ref → prev) + (prev → fix) of the reference.
    if (!afterGap && ref.distanceM - (this.prevFromReferenceM + distanceUpperBoundM(prev.fix, fix) + BOUND_MARGIN_M) <= 0) return null;
    // The side of the line stays; so must who decides it: the line within its coverage and away from its open
    // ends, the territory polygons (which agree with the line inside them) wherever the layers have them.
    if (!sameCoverage(this.settings.layers, ref.territory, fix, upperM)) return null;
    let settled = false;
    if (this.confirmation.mattersIfSettled(ref.territory)) {
      const accuracyM = fix.accuracyM != null && fix.accuracyM > 0 ? fix.accuracyM : this.settings.classifyOptions.defaultAccuracyM ?? ASSUMED_ACCURACY_M;
      // The fix's nearest line may be any line of the set: settled for sure beyond the largest σ, undecided below the smallest.
      const { least, most } = lineUncertaintyRange(this.settings.layers);
      const surelyAtM = this.confirmation.settledBeyondM(Math.hypot(accuracyM, most));
      const possiblyAtM = this.confirmation.settledBeyondM(Math.hypot(accuracyM, least));
      if (lowerM > surelyAtM) settled = true;
      else if (upperM > possiblyAtM) return null;
    }
    this.estimateFromReferenceM = fromReferenceM;
    return { fix, territory: ref.territory, distanceM: lowerM, determination: undefined, settled };
  }

  private interval(prev: Observed, cur: Observed): void {
    const { layers, classifyOptions } = this.settings;
    const t0 = prev.fix.time, dt = cur.fix.time - t0;
    const changes = cur.determination || prev.territory !== cur.territory ? chainedCrossings(layers, prev, cur) : NO_CROSSINGS;
    for (const c of changes) {
      const report: CrossingReport = { time: t0 + c.s * dt, lat: c.lat, lon: c.lon, from: c.from, to: c.to, confirmed: false };
      this.crossings.push(report);
      this.confirmation.crossed(report);
    }
    addTimeIn(this.timeInMs, prev, cur, changes);
    this.stripTotalMs += stripMs(layers, prev, cur, changes, classifyOptions);
  }
}

const uncertaintyRanges = new WeakMap<Layers, { least: number; most: number }>();

/** The smallest and largest stated uncertainty of the boundary's lines. */
function lineUncertaintyRange(layers: Layers): { least: number; most: number } {
  let range = uncertaintyRanges.get(layers);
  if (!range) {
    const all = layers.boundary.lines.map((l) => l.uncertaintyM);
    range = { least: Math.min(...all), most: Math.max(...all) };
    uncertaintyRanges.set(layers, range);
  }
  return range;
}

/**
 * Whether a fix within upperM of the line is decided the same way as the classified fix whose territory is
 * `territory`: by the territory polygons, when the layers have them (one lookup), else by the line, which
 * decides only within its coverage and away from its open ends (a chord shorter than the geodesic bounds them).
 */
function sameCoverage(layers: Layers, territory: string | null, fix: Fix, upperM: number): boolean {
  if (territory === null) return false;
  const grid = layers.territoryGrid;
  if (grid) {
    const t = grid.territoryAt(fix.lon, fix.lat);
    return t >= 0 && grid.territories[t] === territory;
  }
  if (upperM > leastCoverageM(layers)) return false;
  const p = makeProbe(fix.lat, fix.lon);
  for (const [x, y, z] of openEnds(layers)) if (Math.sqrt((p.x - x) ** 2 + (p.y - y) ** 2 + (p.z - z) ** 2) <= upperM) return false;
  return true;
}

/** The least coverage distance of the boundary's lines (their own, or the layers'). */
function leastCoverageM(layers: Layers): number {
  return Math.min(...layers.boundary.lines.map((l) => l.coverageM ?? layers.coverageM));
}

const openEndCache = new WeakMap<Layers, [number, number, number][]>();

/** Earth-centred coordinates of the boundary's open ends (line ends no other line meets). */
function openEnds(layers: Layers): [number, number, number][] {
  let ends = openEndCache.get(layers);
  if (!ends) {
    const set = layers.boundary;
    ends = [];
    for (const line of set.lines) {
      for (const v of [line.firstVertex, line.lastVertex]) {
        const j = set.junctionOf[v];
        if (j >= 0 && set.junctions[j].length > 1) continue;
        const p = makeProbe(set.latDeg[v], set.lonDeg[v]);
        ends.push([p.x, p.y, p.z]);
      }
    }
    openEndCache.set(layers, ends);
  }
  return ends;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
