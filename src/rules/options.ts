// Thresholds of the per-unit rules, and the one hysteresis rule they share.
import { DEFAULT_WARNING_DISTANCE_M } from '../model/index.js';

export interface RuleOptions {
  /** An `approach` alert fires closer than this to the boundary, metres. */
  warningDistanceM: number;
  /** A side (of the boundary or of a fence) is settled when the fix is beyond confirmSigma·σ on it. */
  confirmSigma: number;
  /** `stale` after this long without a fix while within the warning distance, ms. */
  staleAfterMs: number;
  /** Two units closer than this raise `proximity`, metres. */
  proximityM: number;
  /** Least re-arming margin, metres, for fixes that claim a very small σ. Default 25. */
  hysteresisM?: number;
}

export const DEFAULT_RULE_OPTIONS: Readonly<Required<RuleOptions>> = {
  warningDistanceM: DEFAULT_WARNING_DISTANCE_M,
  confirmSigma: 3,
  staleAfterMs: 10 * 60_000,
  proximityM: 1000,
  hysteresisM: 25,
};

export function resolveRuleOptions(options: Partial<RuleOptions> = {}): Required<RuleOptions> {
  const out = { ...DEFAULT_RULE_OPTIONS };
  for (const key of Object.keys(out) as (keyof RuleOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`rule option ${key} must be a finite number ≥ 0, not ${value}`);
    out[key] = value;
  }
  return out;
}

/**
 * How far past a threshold a unit must go before the alert it raised can fire again, for a fix of
 * 1-sigma accuracy σ: max(hysteresisM, 2·confirmSigma·σ). Why twice: a unit whose true position stays
 * within confirmSigma·σ of the threshold (walking along it) reads anywhere within 2·confirmSigma·σ of it
 * while its fixes honour their stated accuracy, so it can never reach the re-arming distance; one that
 * does has really left.
 */
export function rearmMarginM(options: Required<RuleOptions>, sigmaM: number): number {
  return Math.max(options.hysteresisM, 2 * options.confirmSigma * sigmaM);
}
