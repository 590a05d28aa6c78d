import { cellSideM } from '../geo/index.js';

// A position written in decimal degrees or degrees, minutes and seconds is rounded to its last written digit
// (ISO 6709: the number of digits gives the precision): "31.76 -106.48" is anywhere in a cell 0.01° by 0.01°,
// some 1.1 km by 0.95 km at that latitude, and "31°45'N 106°29'W" in one 1' by 1'. Such a cell counts in the
// answer's uncertainty as a square of its larger side (the MGRS grid square's rule, squareM), so a position
// written coarsely is never more certain than its digits allow.

/**
 * A cell this size or smaller is a point: the sixth decimal of a degree (0.11 m), the hundredth of a second
 * (0.3 m) and a whole metre of UTM are finer than any position's accuracy, and what devices and programs write.
 */
export const POINT_CELL_M = 1;

/** The place of a number's last written digit, in its own unit: 1 for "31", 0.01 for "31.76" and "31.70". */
export function lastDigitStep(text: string): number {
  const dot = text.indexOf('.');
  return decimalStep(dot < 0 ? 0 : text.length - dot - 1);
}

/** The place of the last of `decimals` digits after the point: 0.01 for 2. */
export function decimalStep(decimals: number): number {
  // 1 / 10^k, not 10^-k: 10 ** -4 is 0.00009999999999999999 in double precision.
  return 1 / 10 ** decimals;
}

/**
 * The side of the square a position written to `latStepDeg` and `lonStepDeg` names, metres to the centimetre
 * (the larger side of its cell); undefined when the cell is a point (POINT_CELL_M).
 */
export function writtenCellM(lat: number, latStepDeg: number, lonStepDeg: number): number | undefined {
  const side = cellSideM(lat, latStepDeg, lonStepDeg);
  return side > POINT_CELL_M ? Math.round(side * 100) / 100 : undefined;
}
