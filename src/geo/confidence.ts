/**
 * Standard normal cumulative distribution Φ(x), from erfc (W. J. Cody's rational Chebyshev approximation
 * as given in Numerical Recipes, erfcc; |relative error| < 1.2e-7 everywhere).
 */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

const SQRT12 = Math.sqrt(12);

/**
 * The 1-sigma spread of a position given to a square of side `squareM` (an MGRS reference, coarse digits) with
 * accuracy σ: √(σ² + side²/12), a uniform square's spread along any direction beside the accuracy; σ alone for
 * a point (no square).
 */
export function positionSigmaM(accuracyM: number, squareM: number | undefined): number {
  return squareM === undefined ? accuracyM : Math.hypot(accuracyM, squareM / SQRT12);
}

/** Probability of being on the stated side at distance d from the line with 1-sigma accuracy σ: Φ(d/σ). */
export function sideConfidence(distanceM: number, accuracyM: number): number {
  if (!(accuracyM > 0)) return distanceM > 0 ? 1 : 0.5;
  return normalCdf(distanceM / accuracyM);
}
