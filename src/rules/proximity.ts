// Units near each other close to the line: two patrols about to meet, or one unit shadowing another.
import geodesicLib from 'geographiclib-geodesic';
import type { Determination } from '../model/index.js';
import type { Fix } from '../model/index.js';
import { alertFor } from '../model/index.js';
import { rearmMarginM, resolveRuleOptions, type RuleOptions } from './options.js';
import type { Alert } from '../model/index.js';

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
  /** Units whose latest fix is within boundaryM of the line: the only partners a unit farther out can gain. */
  private readonly nearLine = new Map<string, Latest>();
  /**
   * Every unit's latest fix by band of latitude proximityM wide: two units closer than proximityM are in
   * the same band or in neighbouring ones (latitude alone puts them at least |Δφ|·110.5 km/° apart).
   */
  private readonly bands = new Map<number, Map<string, Latest>>();
  private readonly bandOf = new Map<string, number>();
  /** Pairs in an encounter, both ways round. */
  private readonly encounters = new Map<string, Set<string>>();

  constructor(options: Partial<ProximityOptions> = {}) {
    this.options = resolveRuleOptions(options);
    this.boundaryM = options.boundaryM ?? this.options.warningDistanceM;
  }

  reset(): void {
    for (const map of [this.latest, this.nearLine, this.bands, this.bandOf, this.encounters]) map.clear();
  }

  observe(fix: Fix, determination: Determination): Alert[] {
    const previous = this.latest.get(fix.unit);
    if (previous && fix.time < previous.fix.time) return [];
    const latest = { fix, determination };
    this.latest.set(fix.unit, latest);
    const band = this.placeInBand(fix.unit, latest);
    // A unit outside every territory the layers cover is near no side of the line: it starts no encounter.
    const near = determination.territory !== null && determination.boundary.distanceM < this.boundaryM;
    if (near) this.nearLine.set(fix.unit, latest);
    else this.nearLine.delete(fix.unit);
    const alerts: Alert[] = [];
    const visit = (other: Latest) => {
      if (other.fix.unit === fix.unit || Math.abs(other.fix.time - fix.time) > this.options.staleAfterMs) return;
      const alert = this.pair(fix, determination, other);
      if (alert) alerts.push(alert);
    };
    // A new encounter needs one of the two within boundaryM of the line and within proximityM of each
    // other; an encounter already open is visited wherever the partner is, to see whether it has ended.
    const partners = this.encounters.get(fix.unit);
    const visited = partners ? new Set<string>() : null;
    const visitAll = (others: Iterable<Latest>) => {
      for (const other of others) {
        visited?.add(other.fix.unit);
        visit(other);
      }
    };
    if (!near) visitAll(this.nearLine.values());
    else for (let b = band - 1; b <= band + 1; b++) visitAll(this.bands.get(b)?.values() ?? []);
    if (partners) for (const unit of [...partners]) if (!visited!.has(unit)) visit(this.latest.get(unit)!);
    return alerts;
  }

  private placeInBand(unit: string, latest: Latest): number {
    const band = Math.floor((latest.fix.lat * MIN_METRES_PER_DEGREE) / Math.max(this.options.proximityM, 1));
    const previous = this.bandOf.get(unit);
    if (previous !== undefined && previous !== band) {
      const members = this.bands.get(previous)!;
      members.delete(unit);
      if (members.size === 0) this.bands.delete(previous);
    }
    let members = this.bands.get(band);
    if (!members) this.bands.set(band, (members = new Map()));
    members.set(unit, latest);
    this.bandOf.set(unit, band);
    return band;
  }

  private inEncounter(a: string, b: string): boolean {
    return this.encounters.get(a)?.has(b) ?? false;
  }

  private setEncounter(a: string, b: string, open: boolean): void {
    for (const [x, y] of [[a, b], [b, a]]) {
      let partners = this.encounters.get(x);
      if (open) {
        if (!partners) this.encounters.set(x, (partners = new Set()));
        partners.add(y);
      } else if (partners) {
        partners.delete(y);
        if (partners.size === 0) this.encounters.delete(x);
      }
    }
  }

  private pair(fix: Fix, det: Determination, other: Latest): Alert | null {
    const otherUnit = other.fix.unit;
    const inEncounter = this.inEncounter(fix.unit, otherUnit);
    const nearestToLineM = Math.min(det.boundary.distanceM, other.determination.boundary.distanceM);
    // Neither near the line and no encounter to end: nothing to measure.
    if (!inEncounter && nearestToLineM >= this.boundaryM) return null;
    const marginM = rearmMarginM(this.options, Math.hypot(det.accuracyM, other.determination.accuracyM));
    const reachM = this.options.proximityM + (inEncounter ? marginM : 0);
    // Cheap rejection before the geodesic: latitude alone already puts them too far apart.
    if (Math.abs(fix.lat - other.fix.lat) * MIN_METRES_PER_DEGREE > reachM) {
      if (inEncounter) this.setEncounter(fix.unit, otherUnit, false);
      return null;
    }
    if (inEncounter) {
      if (nearestToLineM > this.boundaryM + marginM) this.setEncounter(fix.unit, otherUnit, false);
      else if (this.distanceM(fix, other.fix) > reachM) this.setEncounter(fix.unit, otherUnit, false);
      return null;
    }
    const distanceM = this.distanceM(fix, other.fix);
    if (distanceM >= this.options.proximityM) return null;
    this.setEncounter(fix.unit, otherUnit, true);
    return alertFor('proximity', fix.unit, fix.time, det, { otherUnit, unitDistanceM: distanceM });
  }

  private distanceM(a: Fix, b: Fix): number {
    return geodesic.Inverse(a.lat, a.lon, b.lat, b.lon).s12 ?? Infinity;
  }
}
