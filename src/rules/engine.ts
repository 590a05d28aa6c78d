// The alert rules the pipeline runs, as one injected dependency: per-unit rules with hysteresis,
// a pure replay of a unit's fixes in device-time order, and proximity between units.
import type { Alert, Determination, Fix } from '../model/index.js';
import type { RuleOptions } from './options.js';
import { ProximityRules } from './proximity.js';
import { alertsForSequence, UnitRules } from './unit-rules.js';

export interface RuleInput {
  fix: Fix;
  determination: Determination;
}

export interface UnitRulesLike {
  observe(fix: Fix, determination: Determination): Alert[];
  /** An emergency declared or cancelled by a report without a position (no fix; its alert raised apart). */
  emergencyWithoutPosition(state: 'declared' | 'cancelled', timeMs: number): void;
  /** Alerts due by the server clock alone (a unit near the line has gone quiet). */
  tick(nowMs: number): Alert[];
}

export interface ProximityRulesLike {
  observe(fix: Fix, determination: Determination): Alert[];
  /** Forgets every unit and encounter: the state of rules that have seen nothing. */
  reset(): void;
}

export interface RulesEngine {
  /** Fresh rules for one unit, in the state of a unit never seen. */
  unitRules(unit: string): UnitRulesLike;
  /** The alerts unitRules(unit) raises when fed these items in order; items are in device-time order. */
  replay(unit: string, items: RuleInput[]): Alert[];
  /** Rules between units, or null to raise none. */
  proximity: ProximityRulesLike | null;
}

/** Thresholds of the rules (warningDistanceM 500, confirmSigma 3, staleAfterMs, proximityM 1000 ...). */
export type TrackRuleOptions = Partial<RuleOptions>;

/** The rules of this folder as the live pipeline's RulesEngine. */
export function trackRulesEngine(options: TrackRuleOptions = {}): RulesEngine {
  return {
    unitRules: (unit) => new UnitRules(unit, options),
    replay: (unit, items) => alertsForSequence(unit, items, options),
    proximity: new ProximityRules(options),
  };
}
