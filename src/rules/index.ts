// The per-unit rules, pure (no I/O, no clock): emergency (a device's SOS), approach, strip, crossing with its confirmation, stale, proximity, hysteresis, reordering.
export { EMERGENCY_REPEAT_MS, UnitRules, alertsForSequence } from './unit-rules.js';
export { ProximityRules, type ProximityOptions } from './proximity.js';
export { DEFAULT_RULE_OPTIONS, rearmMarginM, resolveRuleOptions, type RuleOptions } from './options.js';
export { CrossingConfirmation, CrossingRule, SettledSide, type CrossingEvent, type RawCrossing } from './crossing.js';
export { ApproachRule } from './approach.js';
export { StripRule } from './strip.js';
export { ReorderWindow } from './reorder-window.js';
export { lateFixAlerts } from './late-fixes.js';
export { trackRulesEngine, type ProximityRulesLike, type RuleInput, type RulesEngine, type TrackRuleOptions, type UnitRulesLike } from './engine.js';
