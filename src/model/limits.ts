// The limits every part of lindero applies the same way: unit ids, times and the ranges of a fix's values.

/** Longest unit id accepted, in characters. */
export const MAX_UNIT_CHARS = 128;
/**
 * At most this many notes on one fix, each at most MAX_NOTE_CHARS: one per auxiliary value the range
 * rules changed or left off, so a handful; the bounds keep a stored record small whatever a sender does.
 */
export const MAX_FIX_NOTES = 16;
export const MAX_NOTE_CHARS = 400;
/**
 * The live time rule, the same for every live source (CoT, OsmAnd/Traccar, NMEA, JSON): a fix may be
 * at most this far ahead of the receiver's clock (device clock skew) ...
 */
export const DEFAULT_MAX_FUTURE_MS = 10 * 60_000;
/**
 * ... and at most this old: phone apps buffer fixes while offline and upload them days later, not
 * years later. Recorded files (`lindero track`) are read at any age.
 */
export const DEFAULT_MAX_AGE_MS = 366 * 86_400_000;
/** Horizontal accuracy above this (1000 km) is a unit error, not a measurement. */
export const MAX_ACCURACY_M = 1_000_000;
/** Faster than any airliner; anything above is a unit error (km/h sent as m/s, ...). */
export const MAX_SPEED_MPS = 1_000;
/** Deeper than the Mariana Trench .. the Kármán line. */
export const MIN_ALT_M = -11_000;
export const MAX_ALT_M = 100_000;
/**
 * The largest time, in ms either side of the epoch, a JavaScript Date holds (ECMA-262 §21.4.1.1: ±100,000,000
 * days): every time lindero stores or writes as ISO text lies within it.
 */
export const MAX_TIME_MS = 8.64e15;
/**
 * The alert kinds the rules raise: the line's (approach, crossing, the strip's, proximity, stale) and a
 * device's own emergency (SOS) and its cancellation.
 */
export const ALERT_KINDS = ['approach', 'crossing', 'entered-strip', 'left-strip', 'proximity', 'stale', 'emergency', 'emergency-cancelled'] as const;
