import type { Determination } from './determination.js';

import type { ALERT_KINDS } from './limits.js';

export type AlertKind = (typeof ALERT_KINDS)[number];

/** A warning raised for a unit by the per-unit rules (rules/). */
export interface Alert {
  /** Store id, once stored. */
  id?: number;
  kind: AlertKind;
  unit: string;
  /** What people call the unit (its callsign), when known: shown instead of the id. */
  name?: string;
  /** Device time of the fix that raised it (ms since epoch, UTC). */
  time: number;
  /** The determination that raised it. */
  determination: Determination;
  /** For proximity: the other unit. */
  otherUnit?: string;
  /** For proximity: what people call the other unit, when known. */
  otherName?: string;
  /** For proximity: distance between the two units, metres. */
  unitDistanceM?: number;
  /** For crossing: territory left and entered, and whether it is beyond 3 sigma on the far side. */
  from?: string;
  to?: string;
  confirmed?: boolean;
  /** For emergency and emergency-cancelled: the device's own name for it ("911 Alert", "Declare SOS"). */
  emergency?: string;
  /**
   * Set when the report that raised it carried no position: the determination is of the unit's last fix,
   * at this device time (ms since epoch), not of where the unit was when it raised the alert.
   */
  lastKnownTime?: number;
  /** Raised after the fact, by a fix that arrived out of device-time order. */
  late?: boolean;
}

/** A proximity alert between a home unit and a partner's unit (raised by share/, never shared onward). */
export interface PartnerProximityAlert extends Alert {
  partner: string;
  partnerUnit: string;
  /** The side of the line the partner stated for its unit. */
  partnerTerritory: string | null;
  partnerPrecisionM: number;
  /** Least distance from the partner unit to the line its shared position allows, metres. */
  partnerBoundaryDistanceM: number;
  /** Greatest such distance: the shared position's own distance plus the precision, metres. */
  partnerBoundaryMaxM?: number;
}

/** An alert raised at `time` (device time of the fix that raised it) with the determination behind it. */
export function alertFor(kind: AlertKind, unit: string, time: number, determination: Determination, extra: Partial<Alert> = {}): Alert {
  return { kind, unit, time, determination, ...extra };
}
