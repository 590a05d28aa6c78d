import type { OutboxEmergency, OutboxFix } from '../db.js';
import type { DeviceFix } from '../position/device-fix.js';

// The server refuses a whole fix for one implausible extra (src/ingest/limits.ts); an extra outside these
// limits is left out so the position itself is never lost.
const MAX_ACCURACY_M = 1_000_000;
const MAX_SPEED_MPS = 1_000;
const MIN_ALT_M = -11_000;
const MAX_ALT_M = 100_000;

/** The POST /api/v1/fixes item for a device fix, with the device's own time. */
export function outboxFix(fix: DeviceFix, unit: string, emergency?: OutboxEmergency): OutboxFix {
  const out: OutboxFix = { unit, time: new Date(fix.timeMs).toISOString(), lat: fix.lat, lon: fix.lon };
  if (fix.accuracyM >= 0 && fix.accuracyM <= MAX_ACCURACY_M) out.accuracy_m = fix.accuracyM;
  if (fix.altM !== undefined && fix.altM >= MIN_ALT_M && fix.altM <= MAX_ALT_M) out.alt_m = fix.altM;
  if (fix.speedMps !== undefined && fix.speedMps >= 0 && fix.speedMps <= MAX_SPEED_MPS) out.speed_mps = fix.speedMps;
  if (fix.courseDeg !== undefined && fix.courseDeg >= 0 && fix.courseDeg <= 360) out.course_deg = fix.courseDeg;
  if (emergency) out.emergency = emergency;
  return out;
}
