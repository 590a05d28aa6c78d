import { rearmMarginM, type RuleOptions } from './options.js';

/**
 * `approach`: the unit is closer to the boundary than the warning distance. Fires once, then stays quiet
 * until the unit has gone beyond the warning distance plus the re-arming margin (see rearmMarginM), so GPS
 * jitter around the warning distance cannot make it flap.
 */
export class ApproachRule {
  private armed = true;

  constructor(private readonly options: Required<RuleOptions>) {}

  /** True when this fix raises an approach alert. */
  observe(distanceM: number, sigmaM: number): boolean {
    const warningM = this.options.warningDistanceM;
    if (this.armed && distanceM < warningM) {
      this.armed = false;
      return true;
    }
    if (!this.armed && distanceM > warningM + rearmMarginM(this.options, sigmaM)) this.armed = true;
    return false;
  }
}
