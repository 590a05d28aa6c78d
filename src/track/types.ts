import type { Determination } from '../geo/index.js';

export type AlertKind = 'approach' | 'crossing' | 'entered-strip' | 'left-strip' | 'proximity' | 'stale';

/** A warning raised for a unit by the rules in track/. */
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
  /** Raised after the fact, by a fix that arrived out of device-time order. */
  late?: boolean;
}
