import { rearmMarginM, type RuleOptions } from '../../../../src/rules/index.js';
import type { Determination } from '../../../../src/geo/index.js';

/**
 * `uncertain`: the verdict stopped being certain (too close to the line for the fix's accuracy). Fires once,
 * then stays quiet until the verdict is certain again beyond confirmSigma·σ plus the re-arming margin of the
 * track rules (rearmMarginM), so a fix that jitters across the certainty threshold warns once, not per fix.
 */
export class UncertainRule {
  private armed = true;

  constructor(private readonly options: Required<RuleOptions>) {}

  observe(det: Determination): boolean {
    const sigmaM = det.accuracyM;
    if (!det.certain) {
      if (!this.armed) return false;
      this.armed = false;
      return true;
    }
    if (!this.armed && det.boundary.distanceM > this.options.confirmSigma * sigmaM + rearmMarginM(this.options, sigmaM)) this.armed = true;
    return false;
  }
}
