// Per-unit alert rules. Pure: no I/O and no clock; time comes from the fixes and from explicit ticks.
import type { Determination } from '../model/index.js';
import type { Fix } from '../model/index.js';
import { alertFor } from '../model/index.js';
import { ApproachRule } from './approach.js';
import { CrossingRule } from './crossing.js';
import { resolveRuleOptions, type RuleOptions } from './options.js';
import { StripRule } from './strip.js';
import type { Alert } from '../model/index.js';

/**
 * A silence is stale only once it is also this many times the unit's usual interval between reports: a
 * satellite messenger that tracks every 10 minutes (Garmin inReach, SPOT) is not late after 10 minutes.
 */
const STALE_USUAL_INTERVALS = 2;
/**
 * The unit's usual interval is the lower median of its last INTERVALS_KEPT, once it has INTERVALS_NEEDED (of two,
 * the shorter): one long silence (a unit gone quiet near the line for an hour) never makes it long, so the next
 * silence is stale as soon as ever; until the unit's cadence is known, staleAfterMs decides.
 */
const INTERVALS_KEPT = 5;
const INTERVALS_NEEDED = 2;
/**
 * A device in emergency repeats it (ATAK's 911 alert is sent again and again, an inReach in SOS mode keeps
 * reporting): one alert for the emergency, and another only when it is declared again after this long
 * without one, or after it was cancelled.
 */
export const EMERGENCY_REPEAT_MS = 10 * 60_000;

/**
 * The rules for one unit, fed its fixes in device-time order. Alerts from one fix come in the order
 * emergency (or its cancellation), approach, crossing, entered-strip / left-strip (coming back across the
 * line into the strip is a crossing first). A fix older than the last one observed is not applied (returns no alerts): the
 * caller re-evaluates the unit with alertsForSequence, which is what a late fix needs.
 */
export class UnitRules {
  readonly unit: string;
  private readonly options: Required<RuleOptions>;
  private readonly approach: ApproachRule;
  private readonly crossing: CrossingRule;
  private readonly strip: StripRule;
  private lastTime: number | undefined;
  private lastDetermination: Determination | undefined;
  private staleRaised = false;
  /** The last intervals between its fixes, ms (oldest first). */
  private readonly intervals: number[] = [];
  /** Device time of the last report declaring an emergency, while it is not cancelled. */
  private lastEmergencyMs: number | undefined;

  constructor(unit: string, options: Partial<RuleOptions> = {}) {
    this.unit = unit;
    this.options = resolveRuleOptions(options);
    this.approach = new ApproachRule(this.options);
    this.crossing = new CrossingRule(this.options);
    this.strip = new StripRule(this.options);
  }

  /**
   * The unit's next fix in device-time order, with its determination; returns the alerts it raises, in order
   * (an emergency it declares or cancels first).
   */
  observe(fix: Fix, determination: Determination): Alert[] {
    if (this.lastTime !== undefined && fix.time < this.lastTime) return [];
    if (this.lastTime !== undefined && fix.time > this.lastTime) {
      this.intervals.push(fix.time - this.lastTime);
      if (this.intervals.length > INTERVALS_KEPT) this.intervals.shift();
    }
    this.lastTime = fix.time;
    this.lastDetermination = determination;
    this.staleRaised = false;
    // The combined uncertainty: the position's accuracy and the line's own.
    const sigmaM = determination.uncertaintyM ?? determination.accuracyM;
    const alerts: Alert[] = [];
    // An emergency comes first: it is what an operator must see before anything about the line.
    const emergency = fix.emergency;
    if (emergency?.state === 'cancelled') {
      this.lastEmergencyMs = undefined;
      alerts.push(alertFor('emergency-cancelled', this.unit, fix.time, determination, { emergency: emergency.what }));
    } else if (emergency?.state === 'declared') {
      const repeated = this.lastEmergencyMs !== undefined && fix.time - this.lastEmergencyMs < EMERGENCY_REPEAT_MS;
      this.lastEmergencyMs = fix.time;
      if (!repeated) alerts.push(alertFor('emergency', this.unit, fix.time, determination, { emergency: emergency.what }));
    }
    if (this.approach.observe(determination.boundary.distanceM, sigmaM)) {
      alerts.push(alertFor('approach', this.unit, fix.time, determination));
    }
    const crossing = this.crossing.observe(determination, sigmaM);
    if (crossing) alerts.push(alertFor('crossing', this.unit, fix.time, determination, crossing));
    const strip = this.strip.observe(determination, sigmaM);
    if (strip) alerts.push(alertFor(strip, this.unit, fix.time, determination));
    return alerts;
  }

  /**
   * An emergency the unit declared or cancelled with a report that carried no position (and so was no fix,
   * and its alert was raised apart): declared, its repeats with a position are the same emergency;
   * cancelled, the next one it declares is a new one.
   */
  emergencyWithoutPosition(state: 'declared' | 'cancelled', timeMs: number): void {
    this.lastEmergencyMs = state === 'cancelled' ? undefined : Math.max(this.lastEmergencyMs ?? timeMs, timeMs);
  }

  /**
   * How long a silence lasts before it is stale: staleAfterMs, or STALE_USUAL_INTERVALS times the unit's
   * usual interval between fixes when that is longer.
   */
  staleAfterMs(): number {
    if (this.intervals.length < INTERVALS_NEEDED) return this.options.staleAfterMs;
    const sorted = [...this.intervals].sort((a, b) => a - b);
    const usual = sorted[Math.floor((sorted.length - 1) / 2)];
    return Math.max(this.options.staleAfterMs, STALE_USUAL_INTERVALS * usual);
  }

  /**
   * Wall/scenario clock tick: a `stale` alert when no fix for staleAfterMs() while within the warning
   * distance (once per silence). Its time is when the silence became stale (last fix + staleAfterMs()), so a
   * live tick and a replay raise the same alert.
   */
  tick(nowMs: number): Alert[] {
    const last = this.lastDetermination;
    if (!last || this.lastTime === undefined || this.staleRaised) return [];
    const staleAfterMs = this.staleAfterMs();
    if (nowMs - this.lastTime < staleAfterMs) return [];
    if (last.boundary.distanceM >= this.options.warningDistanceM) return [];
    this.staleRaised = true;
    return [alertFor('stale', this.unit, this.lastTime + staleAfterMs, last)];
  }
}

/**
 * All alerts a device-time-ordered sequence raises (pure replay; used to re-evaluate after a late fix).
 * The items are put in device-time order first (stably, so equal times keep their order); a silence that
 * reaches the unit's staleAfterMs() between two fixes near the line raises its `stale` alert, as live ticks would.
 */
export function alertsForSequence(unit: string, items: { fix: Fix; determination: Determination }[], options?: Partial<RuleOptions>): Alert[] {
  const ordered = items.map((item, index) => ({ item, index }));
  ordered.sort((a, b) => a.item.fix.time - b.item.fix.time || a.index - b.index);
  const rules = new UnitRules(unit, options);
  const alerts: Alert[] = [];
  for (const { item } of ordered) {
    alerts.push(...rules.tick(item.fix.time), ...rules.observe(item.fix, item.determination));
  }
  return alerts;
}
