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
 * The rules for one unit, fed its fixes in device-time order. Alerts from one fix come in the order
 * approach, crossing, entered-strip / left-strip (coming back across the line into the strip is a
 * crossing first). A fix older than the last one observed is not applied (returns no alerts): the
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

  constructor(unit: string, options: Partial<RuleOptions> = {}) {
    this.unit = unit;
    this.options = resolveRuleOptions(options);
    this.approach = new ApproachRule(this.options);
    this.crossing = new CrossingRule(this.options);
    this.strip = new StripRule(this.options);
  }

  /** The unit's next fix in device-time order, with its determination; returns the alerts it raises, in order. */
  observe(fix: Fix, determination: Determination): Alert[] {
    if (this.lastTime !== undefined && fix.time < this.lastTime) return [];
    this.lastTime = fix.time;
    this.lastDetermination = determination;
    this.staleRaised = false;
    // The combined uncertainty: the position's accuracy and the line's own.
    const sigmaM = determination.uncertaintyM ?? determination.accuracyM;
    const alerts: Alert[] = [];
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
   * Wall/scenario clock tick: a `stale` alert when no fix for staleAfterMs while within the warning
   * distance (once per silence). Its time is when the silence became stale (last fix + staleAfterMs), so a
   * live tick and a replay raise the same alert.
   */
  tick(nowMs: number): Alert[] {
    const last = this.lastDetermination;
    if (!last || this.lastTime === undefined || this.staleRaised) return [];
    if (nowMs - this.lastTime < this.options.staleAfterMs) return [];
    if (last.boundary.distanceM >= this.options.warningDistanceM) return [];
    this.staleRaised = true;
    return [alertFor('stale', this.unit, this.lastTime + this.options.staleAfterMs, last)];
  }
}

/**
 * All alerts a device-time-ordered sequence raises (pure replay; used to re-evaluate after a late fix).
 * The items are put in device-time order first (stably, so equal times keep their order); a silence of
 * staleAfterMs or more between two fixes near the line raises its `stale` alert, as live ticks would.
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
