// The rules of src/track as the pipeline's RulesEngine.
import { alertsForSequence, ProximityRules, UnitRules, type RuleOptions } from '../track/index.js';
import type { RulesEngine } from './rules-engine.js';

/** Thresholds of the track rules (warningDistanceM 500, confirmSigma 3, staleAfterMs, proximityM 1000 ...). */
export type TrackRuleOptions = Partial<RuleOptions>;

export function trackRulesEngine(options: TrackRuleOptions = {}): RulesEngine {
  return {
    unitRules: (unit) => new UnitRules(unit, options),
    replay: (unit, items) => alertsForSequence(unit, items, options),
    proximity: new ProximityRules(options),
  };
}
