export type { Alert, AlertKind } from './types.js';
export { UnitRules, alertsForSequence } from './rules.js';
export { ProximityRules, type ProximityOptions } from './proximity.js';
export { DEFAULT_RULE_OPTIONS, rearmMarginM, type RuleOptions } from './rule-options.js';
