// The defaults lindero assumes when nobody says otherwise, each with the reason for its value.

/**
 * 1-sigma accuracy assumed for a position that came without one, metres. GPS.gov gives smartphones "typically
 * within a 4.9 m radius under open sky" (95 %, about 2 m 1-sigma) and warns that buildings, trees and canyon
 * walls degrade it; the Rio Grande runs through canyons and riverside brush. 20 m 1-sigma (about 50 m at 95 %)
 * is a conservative stand-in for a device that did not say, so a verdict on an assumed accuracy errs towards
 * "not certain" rather than towards a confidence nobody measured.
 */
export const ASSUMED_ACCURACY_M = 20;
/** Confidence at or above which a verdict is certain: Φ(3) ≈ 0.99865 one-sided, 0.997 the two-sided 3σ rule. */
export const DEFAULT_CERTAINTY = 0.997;

/**
 * How far from a boundary line, by default, its two sides are taken to be its two territories. A line says
 * which side is which only near itself: far away its bends make "left" and "right" meaningless, and beyond
 * its ends it says nothing. 50 km holds every patrol area along a border (the warning band is 500 m), and is
 * where the far search takes over from the proven one (far.ts). Territory polygons, when a layer has them,
 * decide beyond it.
 */
export const DEFAULT_COVERAGE_M = 50_000;

/** An `approach` alert fires closer than this to the boundary, metres (`lindero serve --warning-distance`). */
export const DEFAULT_WARNING_DISTANCE_M = 500;
