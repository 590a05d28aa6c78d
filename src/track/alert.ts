import type { Determination } from '../geo/index.js';
import type { Alert, AlertKind } from './types.js';

/** An alert raised at `time` (device time of the fix that raised it) with the determination behind it. */
export function alertFor(kind: AlertKind, unit: string, time: number, determination: Determination, extra: Partial<Alert> = {}): Alert {
  return { kind, unit, time, determination, ...extra };
}
