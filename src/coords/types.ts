/** Which notation a position was written in. */
export type PositionForm = 'decimal' | 'dms' | 'mgrs' | 'utm';

/** A position read from text: WGS84 degrees, and the notation it came in. */
export interface ParsedPosition {
  lat: number;
  lon: number;
  form: PositionForm;
  /**
   * The side of the square the position as written names, metres; the position is its centre. For MGRS the
   * grid square the reference names (1 m for 5 digits, 100 km for none); for decimal degrees and DMS the
   * larger side of the cell its last digits are rounded to, when over a metre (written-cell.ts), else absent.
   */
  precisionM?: number;
  /**
   * For MGRS, the reference as written, without spaces, in capitals and without a zone's leading zero: the
   * square it names (its centre's own reference may spell the band of a square that straddles two otherwise).
   */
  mgrs?: string;
  /** The 1-sigma accuracy written after the position ("31.56 -106.22 ±8"), metres. */
  accuracyM?: number;
}

/** A UTM coordinate: zone 1–60, MGRS latitude band letter C–X, and metres east and north of the zone's false origin. */
export interface UtmCoordinate {
  zone: number;
  band: string;
  hemisphere: 'N' | 'S';
  eastingM: number;
  northingM: number;
}
