// The model: the types every part shares (Fix, Alert, Determination), their limits and defaults, and errors as values.
export type { Fix, FixEmergency, FixSource, PositionlessEmergency } from './fix.js';
export { alertFor, type Alert, type AlertKind, type PartnerProximityAlert } from './alert.js';
export type { Determination, FenceDetermination, LatLon, Position, Territory } from './determination.js';
export {
  ALERT_KINDS, DEFAULT_MAX_AGE_MS, DEFAULT_MAX_FUTURE_MS, MAX_ACCURACY_M, MAX_ALT_M, MAX_FIX_NOTES, MAX_NOTE_CHARS, MAX_SPEED_MPS, MAX_TIME_MS, MAX_UNIT_CHARS, MIN_ALT_M,
} from './limits.js';
export { ASSUMED_ACCURACY_M, DEFAULT_CERTAINTY, DEFAULT_COVERAGE_M, DEFAULT_WARNING_DISTANCE_M } from './defaults.js';
export { LinderoError, describePlace, errorFromWire, errorToWire, isLinderoError, isStoreFailure, type Place, type WireError } from './errors.js';
