// Proximity across the link: a home unit and a partner unit that may be within D metres of each other
// while either may be within B metres of the boundary. "May": a coarsened position is only known to
// within its precision, so the least distance the two could be apart is what is compared, and an
// alert comes early rather than late. Each server runs this on its own side, so both raise it.
import geodesicLib from 'geographiclib-geodesic';
import type { Determination } from '../geo/index.js';
import type { Fix } from '../ingest/index.js';
import type { PartnerProximityAlert } from '../model/index.js';
import type { PositionRecord } from './records.js';

const geodesic = geodesicLib.Geodesic.WGS84;

export type { PartnerProximityAlert };

export interface ProximityOptions {
  distanceM: number;
  boundaryM: number;
  /** Positions further apart in device time than this (plus the partner's delay) are not paired. Default 10 min. */
  staleAfterMs?: number;
  /** Least re-arming margin, metres. Default 25, as the home rules. */
  hysteresisM?: number;
}

interface HomeUnit {
  fix: Fix;
  determination: Determination;
}

export interface PartnerUnit {
  partner: string;
  record: PositionRecord;
  /** This server's classification of the shared position. */
  determination: Determination;
}

const key = (partner: string, homeUnit: string, partnerUnit: string) => `${partner}\u0000${homeUnit}\u0000${partnerUnit}`;

export class PartnerProximity {
  private readonly home = new Map<string, HomeUnit>();
  private readonly partners = new Map<string, PartnerUnit>();
  private readonly staleAfterMs: number;
  private readonly hysteresisM: number;

  constructor(
    private readonly options: ProximityOptions,
    /** Pairs in an encounter (raised once until they part); persisted by the caller through `onEncounter`. */
    private readonly encounters: Set<string>,
    private readonly onEncounter: (partner: string, homeUnit: string, partnerUnit: string, on: boolean) => void,
  ) {
    this.staleAfterMs = options.staleAfterMs ?? 600_000;
    this.hysteresisM = options.hysteresisM ?? 25;
  }

  static encounterKey = key;

  /** State restored after a restart, without pairing: what pairs was raised (or not) before. */
  restore(home: { fix: Fix; determination: Determination }[], partners: PartnerUnit[]): void {
    for (const h of home) this.home.set(h.fix.unit, h);
    for (const p of partners) this.partners.set(`${p.partner}\u0000${p.record.unit}`, p);
  }

  /** A home unit's newer fix: alerts for the partner units it is now close to. */
  observeHome(fix: Fix, determination: Determination): PartnerProximityAlert[] {
    const previous = this.home.get(fix.unit);
    if (previous && fix.time < previous.fix.time) return [];
    const home = { fix, determination };
    this.home.set(fix.unit, home);
    const alerts: PartnerProximityAlert[] = [];
    for (const p of this.partners.values()) {
      const alert = this.pair(home, p, fix.time);
      if (alert) alerts.push(alert);
    }
    return alerts;
  }

  /** A partner unit's newer position: alerts for the home units it is now close to. */
  observePartner(unit: PartnerUnit): PartnerProximityAlert[] {
    const id = `${unit.partner}\u0000${unit.record.unit}`;
    const previous = this.partners.get(id);
    if (previous && unit.record.time_ms < previous.record.time_ms) return [];
    this.partners.set(id, unit);
    const alerts: PartnerProximityAlert[] = [];
    for (const h of this.home.values()) {
      const alert = this.pair(h, unit, Math.max(h.fix.time, unit.record.time_ms));
      if (alert) alerts.push(alert);
    }
    return alerts;
  }

  /** The partner withdrew its unit: it is no longer paired, and a later approach raises a new alert. */
  partnerGone(partner: string, unit: string): void {
    this.partners.delete(`${partner}\u0000${unit}`);
    for (const h of this.home.keys()) this.end(partner, h, unit);
  }

  private end(partner: string, homeUnit: string, partnerUnit: string): void {
    if (this.encounters.delete(key(partner, homeUnit, partnerUnit))) this.onEncounter(partner, homeUnit, partnerUnit, false);
  }

  private pair(h: HomeUnit, p: PartnerUnit, timeMs: number): PartnerProximityAlert | null {
    const r = p.record;
    const k = key(p.partner, h.fix.unit, r.unit);
    const inEncounter = this.encounters.has(k);
    if (Math.abs(h.fix.time - r.time_ms) > this.staleAfterMs + r.delay_s * 1000) {
      if (inEncounter) this.end(p.partner, h.fix.unit, r.unit);
      return null;
    }
    const apartM = geodesic.Inverse(h.fix.lat, h.fix.lon, r.lat, r.lon).s12 ?? Infinity;
    const leastApartM = Math.max(0, apartM - r.precision_m);
    const partnerLineM = Math.max(0, p.determination.boundary.distanceM - r.precision_m);
    const nearestLineM = Math.min(h.determination.boundary.distanceM, partnerLineM);
    // The same re-arming rule as the home rules (rules/options.ts): 2·3σ of the combined accuracy.
    const sigmaM = Math.hypot(h.determination.accuracyM, r.accuracy_m ?? 0);
    const marginM = Math.max(this.hysteresisM, 6 * sigmaM);
    if (inEncounter) {
      if (leastApartM > this.options.distanceM + marginM || nearestLineM > this.options.boundaryM + marginM) this.end(p.partner, h.fix.unit, r.unit);
      return null;
    }
    if (leastApartM >= this.options.distanceM || nearestLineM >= this.options.boundaryM) return null;
    this.encounters.add(k);
    this.onEncounter(p.partner, h.fix.unit, r.unit, true);
    return {
      kind: 'proximity', unit: h.fix.unit, time: timeMs, determination: h.determination,
      otherUnit: `${r.unit}@${p.partner}`, unitDistanceM: apartM,
      partner: p.partner, partnerUnit: r.unit, partnerTerritory: r.territory, partnerPrecisionM: r.precision_m, partnerBoundaryDistanceM: partnerLineM,
      partnerBoundaryMaxM: p.determination.boundary.distanceM + r.precision_m,
    };
  }
}
