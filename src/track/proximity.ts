// Units near each other close to the line: two patrols about to meet, or one unit shadowing another.
import geodesicLib from 'geographiclib-geodesic';
import type { Determination } from '../geo/index.js';
import type { Fix } from '../ingest/fix.js';
import { alertFor } from './alert.js';
import { rearmMarginM, resolveRuleOptions, type RuleOptions } from './rule-options.js';
import type { Alert } from './types.js';

const geodesic = geodesicLib.Geodesic.WGS84;

export interface ProximityOptions extends RuleOptions {
  /** A pair counts only while either unit is closer than this to the boundary, metres. Default: warningDistanceM. */
  boundaryM: number;
}

interface Latest {
  fix: Fix;
  determination: Determination;
}

/** Metres per degree of latitude, at least (for a cheap lower bound on the distance between two units). */
const MIN_METRES_PER_DEGREE = 110_500;

/**
 * `proximity`: units within proximityM of each other where either is within boundaryM of the line. One
 * alert per pair per encounter: the encounter ends (and the pair re-arms) once they are farther apart than
 * proximityM plus the re-arming margin for their combined accuracy, or both are beyond boundaryM plus it.
 * Only each unit's latest fix counts, and a unit silent for staleAfterMs (in device time) is not paired.
 */
export class ProximityRules {
  private readonly options: Required<RuleOptions>;
  private readonly boundaryM: number;
  private readonly latest = new Map<string, Latest>();
  private readonly encounters = new Set<string>();

  constructor(options: Partial<ProximityOptions> = {}) {
    this.options = resolveRuleOptions(options);
    this.boundaryM = options.boundaryM ?? this.options.warningDistanceM;
  }

  observe(fix: Fix, determination: Determination): Alert[] {
    const previous = this.latest.get(fix.unit);
    if (previous && fix.time < previous.fix.time) return [];
    this.latest.set(fix.unit, { fix, determination });
    const alerts: Alert[] = [];
    for (const [unit, other] of this.latest) {
      if (unit === fix.unit || Math.abs(other.fix.time - fix.time) > this.options.staleAfterMs) continue;
      const alert = this.pair(fix, determination, other);
      if (alert) alerts.push(alert);
    }
    return alerts;
  }

  private pair(fix: Fix, det: Determination, other: Latest): Alert | null {
    const key = fix.unit < other.fix.unit ? `${fix.unit}\u0000${other.fix.unit}` : `${other.fix.unit}\u0000${fix.unit}`;
    const inEncounter = this.encounters.has(key);
    const marginM = rearmMarginM(this.options, Math.hypot(det.accuracyM, other.determination.accuracyM));
    const reachM = this.options.proximityM + (inEncounter ? marginM : 0);
    // Cheap rejection before the geodesic: latitude alone already puts them too far apart.
    if (Math.abs(fix.lat - other.fix.lat) * MIN_METRES_PER_DEGREE > reachM) {
      if (inEncounter) this.encounters.delete(key);
      return null;
    }
    const distanceM = geodesic.Inverse(fix.lat, fix.lon, other.fix.lat, other.fix.lon).s12 ?? Infinity;
    const nearestToLineM = Math.min(det.boundary.distanceM, other.determination.boundary.distanceM);
    if (inEncounter) {
      if (distanceM > reachM || nearestToLineM > this.boundaryM + marginM) this.encounters.delete(key);
      return null;
    }
    if (distanceM >= this.options.proximityM || nearestToLineM >= this.boundaryM) return null;
    this.encounters.add(key);
    return alertFor('proximity', fix.unit, fix.time, det, { otherUnit: other.fix.unit, unitDistanceM: distanceM });
  }
}
