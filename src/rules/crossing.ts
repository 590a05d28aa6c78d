// The crossing rule, once: where a unit has settled (beyond confirmSigma·σ on one side of the line), and
// a change of that settled side is a confirmed crossing. The live alert (CrossingRule) and track analysis
// (CrossingConfirmation, which marks which raw crossing of a recorded track was the real one) both follow it.
import type { Determination } from '../model/index.js';
import { rearmMarginM, type RuleOptions } from './options.js';

export interface CrossingEvent {
  from: string;
  to: string;
  confirmed: boolean;
}

/**
 * The side a unit last settled on: beyond confirmSigma·σ from the line (the 3σ rule); before it first
 * settles, the side of its first fix. Outside every territory the layers cover there is no side: leaving
 * them is no crossing, and the settled side stays.
 */
export class SettledSide {
  reference: string | undefined;

  /** A fix on `territory`; `settled` when beyond confirmSigma·σ on it. Returns the change of settled side, if any. */
  observe(territory: string | null, settled: boolean): { from: string; to: string } | null {
    if (territory === null) return null;
    if (this.reference === undefined) {
      this.reference = territory;
      return null;
    }
    if (!settled || territory === this.reference) return null;
    const from = this.reference;
    this.reference = territory;
    return { from, to: territory };
  }
}

/**
 * `crossing`: the unit changed territory.
 * - A fix on the other side of the settled side that is itself settled is a confirmed crossing
 *   (SettledSide). A raw side change that jitters back never gets there, so it never confirms.
 * - A fix on the other side but within confirmSigma·σ raises one early crossing with confirmed: false, at
 *   most once until the unit has been back on its settled side beyond the re-arming margin (rearmMarginM)
 *   or has confirmed a crossing: a walk along the line raises one unconfirmed alert, not one per jitter.
 * So one real crossing raises at most two alerts: possibly an early unconfirmed one, and the confirmed one.
 */
export class CrossingRule {
  private readonly side = new SettledSide();
  private earlyArmed = true;

  constructor(private readonly options: Required<RuleOptions>) {}

  observe(det: Determination, sigmaM: number): CrossingEvent | null {
    const territory = det.territory;
    const distanceM = det.boundary.distanceM;
    const reference = this.side.reference;
    const change = this.side.observe(territory, distanceM > this.options.confirmSigma * sigmaM);
    if (change) {
      this.earlyArmed = true;
      return { ...change, confirmed: true };
    }
    if (territory === null || reference === undefined) return null;
    if (territory === reference) {
      if (!this.earlyArmed && distanceM > rearmMarginM(this.options, sigmaM)) this.earlyArmed = true;
      return null;
    }
    if (!this.earlyArmed) return null;
    this.earlyArmed = false;
    return { from: reference, to: territory, confirmed: false };
  }
}

/** A raw side change found on a recorded track, which CrossingConfirmation may mark confirmed. */
export interface RawCrossing {
  to: string | null;
  confirmed: boolean;
}

/**
 * Marks a track's crossings confirmed by the same rule as the live `crossing` alert: when the unit next
 * settles on another side (SettledSide), the last raw side change before that moment is the confirmed
 * crossing. Every other raw change (jitter out and back) stays unconfirmed. If that last change happened
 * across a gap in the fixes, no instant is confirmed: the gap is reported as crossed instead.
 */
export class CrossingConfirmation {
  private readonly side = new SettledSide();
  private lastChange: RawCrossing | 'gap' | null = null;

  constructor(private readonly confirmSigma: number) {}

  /** A raw crossing on the segment that ends at the next fix. */
  crossed(crossing: RawCrossing): void {
    this.lastChange = crossing;
  }

  /** The side changed across a gap. */
  crossedGap(): void {
    this.lastChange = 'gap';
  }

  /** The distance beyond which a fix of accuracy σ is settled on its side. */
  settledBeyondM(sigmaM: number): number {
    return this.confirmSigma * sigmaM;
  }

  /** Whether a fix on `territory` could change anything here: if not, whether it is settled does not matter. */
  mattersIfSettled(territory: string | null): boolean {
    if (territory === null) return false;
    const reference = this.side.reference;
    return reference === undefined || territory !== reference || this.lastChange !== null;
  }

  /** Each fix, after the crossings of the segment leading to it; `settled`: beyond settledBeyondM(σ). */
  fix(territory: string | null, settled: boolean): void {
    if (territory === null) return;
    const first = this.side.reference === undefined;
    const change = this.side.observe(territory, settled);
    if (first || !settled) return;
    const last = this.lastChange;
    if (change && last !== null && last !== 'gap' && last.to === change.to) last.confirmed = true;
    this.lastChange = null;
  }
}
