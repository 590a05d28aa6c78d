import type { Determination } from '../model/index.js';
import type { RuleOptions } from './options.js';

/**
 * `entered-strip` / `left-strip`: the unit went through the fence. Each side of the fence counts only once
 * the fix is beyond confirmSigma·σ from it, so a walk along the fence cannot flap (a true path within
 * that band can settle on one side only). The unit stays "in the strip" while it is across the boundary:
 * going strip → other territory → strip is two crossings, not a second entry. A unit that comes across
 * the boundary into the strip has entered it, and so has a unit whose first settled fix is in the strip.
 * A fix with no fence within reach changes nothing.
 */
export class StripRule {
  private inStrip = false;

  constructor(private readonly options: Required<RuleOptions>) {}

  observe(det: Determination, sigmaM: number): 'entered-strip' | 'left-strip' | null {
    const fence = det.fence;
    if (!fence || fence.distanceM <= this.options.confirmSigma * sigmaM) return null;
    if (!this.inStrip && fence.side === 'boundary' && det.zone === 'strip') {
      this.inStrip = true;
      return 'entered-strip';
    }
    if (this.inStrip && fence.side === 'inland') {
      this.inStrip = false;
      return 'left-strip';
    }
    return null;
  }

  get inside(): boolean {
    return this.inStrip;
  }
}
