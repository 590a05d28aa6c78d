import type { CrossingReport } from './report.js';

/**
 * Marks a track's crossings confirmed, by the same rule as the live `crossing` alert (CrossingRule): the
 * reference side is where the unit last settled beyond confirmSigma·σ (before that, its first fix's side);
 * when it next settles on another side, the last raw side change before that moment is the confirmed
 * crossing. Every other raw change (jitter out and back) stays unconfirmed. If that last change happened
 * across a gap in the fixes, no instant is confirmed: the gap is reported as crossed instead.
 */
export class CrossingConfirmation {
  private reference: string | undefined;
  private lastChange: CrossingReport | 'gap' | null = null;

  constructor(private readonly confirmSigma: number) {}

  /** A raw crossing on the segment that ends at the next fix. */
  crossed(crossing: CrossingReport): void {
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
    return this.reference === undefined || territory !== this.reference || this.lastChange !== null;
  }

  /** Each fix, after the crossings of the segment leading to it; `settled`: beyond settledBeyondM(σ). */
  fix(territory: string | null, settled: boolean): void {
    // Outside every territory the layers cover: no side to settle on, and leaving them is no crossing.
    if (territory === null) return;
    if (this.reference === undefined) {
      this.reference = territory;
      return;
    }
    if (!settled) return;
    const last = this.lastChange;
    if (territory !== this.reference && last !== null && last !== 'gap' && last.to === territory) last.confirmed = true;
    this.reference = territory;
    this.lastChange = null;
  }
}
