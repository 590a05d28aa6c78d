// The rules of src/track as the pipeline's RulesEngine.
import type { Determination } from '../geo/index.js';
import type { Fix } from '../ingest/index.js';
import type { Alert } from '../track/index.js';
import type { ProximityRulesLike, RuleInput, RulesEngine, UnitRulesLike } from './rules-engine.js';

/** Thresholds passed to the track rules (warningDistanceM, confirmSigma, staleAfterMs, proximityM, ...). */
export type TrackRuleOptions = Record<string, number | undefined>;

interface TrackApi {
  UnitRules: new (unit: string, options?: TrackRuleOptions) => UnitRulesLike;
  alertsForSequence: (unit: string, items: RuleInput[], options?: TrackRuleOptions) => Alert[];
  ProximityRules?: new (options?: TrackRuleOptions) => { observe(fix: Fix, determination: Determination): Alert[] };
}

/** The track rules as a RulesEngine, or null when this build has none. */
export async function trackRulesEngine(options: TrackRuleOptions = {}): Promise<RulesEngine | null> {
  const track = (await import('../track/index.js')) as unknown as Partial<TrackApi>;
  const { UnitRules, alertsForSequence, ProximityRules } = track;
  if (!UnitRules || !alertsForSequence) return null;
  const proximity: ProximityRulesLike | null = ProximityRules ? new ProximityRules(options) : null;
  return {
    unitRules: (unit) => new UnitRules(unit, options),
    replay: (unit, items) => alertsForSequence(unit, items, options),
    proximity,
  };
}
