// The answer to "which side am I on": what classify() returns for one position.

/** ISO 3166-1 alpha-2 territory code, e.g. "US", "MX". */
export type Territory = string;

export interface LatLon {
  lat: number;
  lon: number;
}

/** A position to classify: a Fix satisfies it. accuracyM is 1-sigma horizontal, metres. */
export interface Position extends LatLon {
  /** 1-sigma horizontal accuracy, metres; null or absent when the device did not say. */
  accuracyM?: number | null;
  /** Where the position came from (a Fix's source), for the accuracy assumed per source. */
  source?: string;
  /**
   * When the position was written as naming a square, its side, metres: the position is the square's centre,
   * and anywhere in the square is as likely. An MGRS reference names its grid square; decimal degrees or DMS
   * written coarsely ("31.76", "31°45'") the cell their last digits are rounded to.
   */
  squareM?: number;
}

export interface FenceDetermination {
  name: string;
  /** "boundary" when the position is on the side of the fence that faces the boundary, else "inland". */
  side: 'boundary' | 'inland';
  distanceM: number;
  illustrative: boolean;
}

export interface Determination {
  lat: number;
  lon: number;
  /**
   * Territory the position is in, or null when it lies outside every territory the layers cover (beyond a
   * line's ends or coverage distance, or outside every territory polygon): then no side is claimed.
   */
  territory: Territory | null;
  /** True exactly when territory is null. */
  outside: boolean;
  boundary: {
    /** Geodesic distance on WGS84 to the nearest point of the boundary, metres. */
    distanceM: number;
    nearest: LatLon;
    /** Initial geodesic azimuth from the position to `nearest`, degrees clockwise from true north, [0, 360). */
    bearingDeg: number;
    /** Territory on the other side of the nearest point of the boundary (null when outside). */
    otherTerritory: Territory | null;
    /** Name of the boundary line the nearest point is on. */
    name: string;
    /** The two territories that line separates: its left and its right, walking it in coordinate order. */
    between: [Territory, Territory];
  };
  /** 1-sigma accuracy of the position used, metres: the position's own, or the assumed one when it had none. */
  accuracyM: number;
  /** True when the position had no accuracy and `accuracyM` is the assumed one. */
  accuracyAssumed: boolean;
  /**
   * The side of the square the position was written to (an MGRS reference names a square, not a point, and
   * so do coarse digits: Position.squareM), metres; absent for a position given as a point. Counted as its standard deviation along any direction,
   * squareM/√12 (a uniform square's), beside the accuracy.
   */
  squareM?: number;
  /** Positional uncertainty (1-sigma, metres) of the nearest boundary line itself, as its layer states it. */
  lineUncertaintyM: number;
  /** Combined 1-sigma: √(accuracyM² + squareM²/12 + lineUncertaintyM²), metres. */
  uncertaintyM: number;
  /** Which part of the uncertainty is the larger: the position's (its accuracy and its square) or the line's own. */
  uncertaintyDominant: 'position' | 'line';
  /**
   * Where territory polygons decide (the territorial sea's limit, a land border with a third country), the
   * distance to the nearest of their edges that could change the answer, metres, when it is nearer than the
   * line and near enough to lower the confidence; absent otherwise. The confidence then rests on it.
   */
  territoryEdgeM?: number;
  /**
   * Probability that `territory` is right given uncertaintyM: Φ(d/σ), d the distance to the line or, when
   * nearer, to the polygon edge that decides (territoryEdgeM); 0 when outside (no side is claimed).
   */
  confidence: number;
  /** confidence ≥ the configured threshold (default 0.997). */
  certain: boolean;
  /** Nearest fence within reach (20 km), or null. */
  fence: FenceDetermination | null;
  /** "strip" when in the fence's territory between the fence and the boundary, else "inland". */
  zone: 'strip' | 'inland';
}
