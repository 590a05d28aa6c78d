// Runs the rules over each unit's fixes in device-time order, also when fixes arrive out of order.
//
// In-order fixes go through the unit's live rules. A late fix (older than the newest one the rules
// have seen) re-evaluates the unit's recent window, read back from the store: what it raises is decided
// by rules/late-fixes.ts (two replays of the window, without and with it).
import { MAX_TIME_MS } from '../model/index.js';
import type { Store, StoredFix } from '../store/index.js';
import type { Alert } from '../model/index.js';
import { lateFixAlerts, type ProximityRulesLike, type RuleInput, type RulesEngine, type UnitRulesLike } from '../rules/index.js';

export interface AlertRulesOptions {
  /** How far before the earliest late fix the window starts, ms: long enough for the rules to settle. Default 10 minutes. */
  lookbackMs?: number;
  /** How far after the latest late fix the window ends, ms. Beyond it the rules have settled again. Default 10 minutes. */
  aheadMs?: number;
  /** Raised alerts remembered per unit for episode matching. Default 2000. */
  rememberAlerts?: number;
}

interface UnitState {
  rules: UnitRulesLike;
  /** Device time of the newest fix the live rules have seen. */
  latestMs: number;
  raised: Alert[];
  /** Whether alerts raised before this process started have been read from the store. */
  raisedLoaded: boolean;
}

const byTime = (a: RuleInput, b: RuleInput) => a.fix.time - b.fix.time;

export class AlertRules {
  private readonly units = new Map<string, UnitState>();
  private readonly lookbackMs: number;
  private readonly aheadMs: number;
  private readonly rememberAlerts: number;
  /** Units the store held when this process started, once known: any other unit's fixes all pass through evaluate(). */
  private storedAtStart: Set<string> | null = null;
  /** Whether the proximity rules run here, with each unit's fixes (not when they run apart: see proximityApart()). */
  private proximityHere = true;

  constructor(private readonly engine: RulesEngine, private readonly store: Store, options: AlertRulesOptions = {}) {
    this.lookbackMs = options.lookbackMs ?? 600_000;
    this.aheadMs = options.aheadMs ?? 600_000;
    this.rememberAlerts = options.rememberAlerts ?? 2000;
  }

  /**
   * Alerts raised by newly stored fixes of one unit (the fixes are already in the store).
   * Calls must not overlap: the caller runs them one after another.
   */
  async evaluate(unit: string, fresh: StoredFix[]): Promise<Alert[]> {
    if (fresh.length === 0) return [];
    const items = fresh.map((f) => ({ fix: f, determination: f.determination })).sort(byTime);
    const freshIds = new Set(fresh.map((f) => f.id));
    const state = this.units.get(unit) ?? (await this.restore(unit, items[0].fix.time, Math.min(...fresh.map((f) => f.seq))));
    const alerts = items[0].fix.time >= state.latestMs
      ? this.observeInOrder(state, items)
      : await this.reevaluate(unit, state, items[0].fix.time, items[items.length - 1].fix.time, freshIds);
    this.remember(state, alerts);
    return alerts;
  }

  /**
   * Alerts raised by fixes of one unit before they are stored, so that they are committed with them (one
   * commit, and no fix stored whose alert could be lost). Possible when the live rules have seen every
   * stored fix of the unit (the caller knows none is still waiting for evaluate()) and these fixes are
   * newer than all of them, in strictly increasing device time, so none can be late or a duplicate.
   * Returns null otherwise: the fixes then go through evaluate() once stored. When their commit fails,
   * the caller calls forget(unit).
   */
  evaluateBeforeStoring(unit: string, inputs: RuleInput[]): Alert[] | null {
    const known = this.units.get(unit);
    if (!known && !this.isNewUnit(unit)) return null;
    const items = [...inputs].sort(byTime);
    if (known && items[0].fix.time <= known.latestMs) return null;
    for (let i = 1; i < items.length; i++) if (items[i].fix.time <= items[i - 1].fix.time) return null;
    const state = known ?? this.startNewUnit(unit);
    const alerts = this.observeInOrder(state, items);
    this.remember(state, alerts);
    return alerts;
  }

  /**
   * The rules between units, to be run apart from the units' own: on several nodes each unit's rules run
   * on one node, but a unit's neighbours may be another node's, so every node runs proximity over every
   * unit's fixes in the store's order (leased-rules.ts). From this call on, evaluate() leaves them alone.
   */
  proximityApart(): ProximityRulesLike | null {
    this.proximityHere = false;
    return this.engine.proximity;
  }

  /** An emergency the unit declared or cancelled by a report without a position: its live rules, if held here, know it. */
  emergencyWithoutPosition(unit: string, state: 'declared' | 'cancelled', timeMs: number): void {
    this.units.get(unit)?.rules.emergencyWithoutPosition(state, timeMs);
  }

  /** Drops what the live rules hold of a unit (its fixes were not stored after all): the store restores it. */
  forget(unit: string): void {
    this.units.delete(unit);
    this.storedAtStart?.add(unit);
  }

  /**
   * Brings back the live rules of a unit whose fixes up to seq `throughSeq` have all been evaluated
   * (elsewhere: a unit taken over from another node), so its clock-driven rules (stale) go on here. Does
   * nothing for a unit already held, or one with a fix stored after throughSeq (evaluate() brings it back).
   */
  async resume(unit: string, throughSeq: number): Promise<void> {
    if (this.units.has(unit)) return;
    const newest = await this.store.latestFixBefore(unit, MAX_TIME_MS);
    if (!newest || newest.seq > throughSeq || this.units.has(unit)) return;
    await this.restore(unit, newest.time, throughSeq + 1);
  }

  /** Drops the live rules of the units `which` picks: their rules run elsewhere now, or start again from the store. */
  forgetWhere(which: (unit: string) => boolean): void {
    for (const unit of [...this.units.keys()]) if (which(unit)) this.forget(unit);
  }

  /**
   * The units stored before this process started. A unit not among them has no history but what reaches
   * evaluate(), so its first fixes need no reading back. Without this call every new unit is looked up.
   */
  knowStoredUnits(units: Iterable<string>): void {
    this.storedAtStart = new Set(units);
  }

  /** Stale alerts due now, for every unit with live rules. */
  tick(nowMs: number): Alert[] {
    const alerts: Alert[] = [];
    for (const state of this.units.values()) {
      const due = state.rules.tick(nowMs);
      this.remember(state, due);
      alerts.push(...due);
    }
    return alerts;
  }

  private observeInOrder(state: UnitState, items: RuleInput[]): Alert[] {
    const alerts: Alert[] = [];
    for (const { fix, determination } of items) {
      alerts.push(...state.rules.observe(fix, determination));
      if (this.proximityHere && this.engine.proximity) alerts.push(...this.engine.proximity.observe(fix, determination));
    }
    state.latestMs = items[items.length - 1].fix.time;
    return alerts;
  }

  /** Whether the unit has no history but what reaches these rules: not stored when this process started, nor forgotten since. */
  private isNewUnit(unit: string): boolean {
    return this.storedAtStart !== null && !this.storedAtStart.has(unit);
  }

  /** Live rules for a unit with no history. */
  private startNewUnit(unit: string): UnitState {
    const state: UnitState = { rules: this.engine.unitRules(unit), latestMs: -Infinity, raised: [], raisedLoaded: true };
    this.units.set(unit, state);
    return state;
  }

  /**
   * Live rules for a unit first seen by this process, brought to the state its stored history implies:
   * the last lookback of the fixes committed before these fresh ones (seq below firstSeq) (those are what live rules would
   * have seen; fixes committed after them reach evaluate() in their turn), replayed with their alerts
   * discarded.
   */
  private async restore(unit: string, earliestMs: number, firstSeq: number): Promise<UnitState> {
    if (this.isNewUnit(unit)) return this.startNewUnit(unit);
    const committedBefore = (f: StoredFix) => f.seq < firstSeq;
    const newest = await this.store.latestFixBefore(unit, MAX_TIME_MS);
    // Usually the unit is new, or its newest fix was stored before these: read only the window before it.
    const candidates = !newest
      ? []
      : committedBefore(newest)
        ? await this.store.track(unit, newest.time - this.lookbackMs, newest.time)
        : await this.store.track(unit, earliestMs - this.lookbackMs, MAX_TIME_MS);
    const earlier = candidates.filter(committedBefore);
    const untilMs = earlier.length > 0 ? earlier[earlier.length - 1].time : -Infinity;
    const stored = earlier.filter((f) => f.time >= untilMs - this.lookbackMs);
    const state: UnitState = { rules: this.engine.unitRules(unit), latestMs: untilMs, raised: [], raisedLoaded: false };
    for (const f of stored) state.rules.observe(f, f.determination);
    this.units.set(unit, state);
    return state;
  }

  private async reevaluate(unit: string, state: UnitState, earliestMs: number, latestFreshMs: number, freshIds: Set<number>): Promise<Alert[]> {
    const windowStartMs = earliestMs - this.lookbackMs;
    const windowEndMs = Math.max(latestFreshMs, earliestMs) + this.aheadMs;
    const window = (await this.store.track(unit, windowStartMs, windowEndMs)).map((f) => ({ fix: f, determination: f.determination }));
    const before = this.engine.replay(unit, window.filter((item) => !freshIds.has((item.fix as StoredFix).id)));
    const after = this.engine.replay(unit, window);
    if (!state.raisedLoaded) {
      const stored = await this.store.alerts({ unit, sinceMs: windowStartMs, limit: 10_000 });
      state.raised = [...stored, ...state.raised];
      state.raisedLoaded = true;
    }
    const previousLatestMs = state.latestMs;
    const found = lateFixAlerts(before, after, state.raised, previousLatestMs);
    // When the window reaches the newest fix, the live rules go on from the state it implies; a fix
    // older than the window's reach leaves the present state as it was.
    if (previousLatestMs <= windowEndMs) {
      state.rules = this.engine.unitRules(unit);
      for (const item of window) state.rules.observe(item.fix, item.determination);
    }
    state.latestMs = Math.max(previousLatestMs, latestFreshMs);
    return found;
  }

  private remember(state: UnitState, alerts: Alert[]): void {
    if (alerts.length === 0) return;
    state.raised.push(...alerts);
    if (state.raised.length > this.rememberAlerts) state.raised.splice(0, state.raised.length - this.rememberAlerts);
  }
}
