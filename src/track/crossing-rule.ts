import type { Determination } from '../geo/index.js';
import { rearmMarginM, type RuleOptions } from './rule-options.js';

export interface CrossingEvent {
  from: string;
  to: string;
  confirmed: boolean;
}

/**
 * `crossing`: the unit changed territory.
 * - The reference side is where the unit last settled: beyond confirmSigma·σ from the line (the track
 *   issue's 3σ rule); before it first settles, the side of its first fix.
 * - A fix on the other side of the reference that is beyond confirmSigma·σ is a confirmed crossing, and
 *   becomes the new reference. A raw side change that jitters back never gets there, so it never confirms.
 * - A fix on the other side but within confirmSigma·σ raises one early crossing with confirmed: false, at
 *   most once until the unit has been back on its reference side beyond the re-arming margin (rearmMarginM)
 *   or has confirmed a crossing: a walk along the line raises one unconfirmed alert, not one per jitter.
 * So one real crossing raises at most two alerts: possibly an early unconfirmed one, and the confirmed one.
 */
export class CrossingRule {
  private reference: string | undefined;
  private earlyArmed = true;

  constructor(private readonly options: Required<RuleOptions>) {}

  observe(det: Determination, sigmaM: number): CrossingEvent | null {
    const territory = det.territory;
    // Outside every territory the layers cover: leaving them is no crossing, and the reference side stays.
    if (territory === null) return null;
    const distanceM = det.boundary.distanceM;
    if (this.reference === undefined) {
      this.reference = territory;
      return null;
    }
    if (territory === this.reference) {
      if (!this.earlyArmed && distanceM > rearmMarginM(this.options, sigmaM)) this.earlyArmed = true;
      return null;
    }
    const from = this.reference;
    if (distanceM > this.options.confirmSigma * sigmaM) {
      this.reference = territory;
      this.earlyArmed = true;
      return { from, to: territory, confirmed: true };
    }
    if (!this.earlyArmed) return null;
    this.earlyArmed = false;
    return { from, to: territory, confirmed: false };
  }
}
