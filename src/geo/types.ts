/** How a segment between two vertices is drawn. RFC 7946: straight in longitude/latitude unless a layer says geodesic. */
export type EdgeMode = 'lonlat' | 'geodesic';

/** ISO 3166-1 alpha-2 territory code, e.g. "US", "MX". */
export type Territory = string;

export interface LatLon {
  lat: number;
  lon: number;
}

/** A position to classify: a Fix satisfies it. accuracyM is 1-sigma horizontal, metres. */
export interface Position extends LatLon {
  accuracyM?: number;
}

/** One boundary line: walking it in coordinate order, `left` and `right` are the territories on each side. */
export interface BoundaryLine {
  name: string;
  /** [lon, lat] pairs, at least two. */
  coordinates: [number, number][];
  left: Territory;
  right: Territory;
  edges: EdgeMode;
  provenance?: string;
}

/** One fence line. A fence belongs to the territory it stands in. */
export interface FenceLine {
  name: string;
  coordinates: [number, number][];
  edges: EdgeMode;
  provenance?: string;
  /** True when the line is drawn for illustration, not surveyed. */
  illustrative?: boolean;
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
  /** Territory the position is in (the side of the boundary it is on). */
  territory: Territory;
  boundary: {
    /** Geodesic distance on WGS84 to the nearest point of the boundary, metres. */
    distanceM: number;
    nearest: LatLon;
    /** Initial geodesic azimuth from the position to `nearest`, degrees clockwise from true north, [0, 360). */
    bearingDeg: number;
    /** Territory on the other side of the nearest point of the boundary. */
    otherTerritory: Territory;
    /** Name of the boundary line the nearest point is on. */
    name: string;
  };
  /** 1-sigma accuracy used, metres. */
  accuracyM: number;
  /** Probability that `territory` is right given accuracyM: Φ(d/σ). */
  confidence: number;
  /** confidence ≥ the configured threshold (default 0.997). */
  certain: boolean;
  /** Nearest fence within reach (20 km), or null. */
  fence: FenceDetermination | null;
  /** "strip" when in the fence's territory between the fence and the boundary, else "inland". */
  zone: 'strip' | 'inland';
}

export interface ClassifyOptions {
  /** Default 1-sigma accuracy when the position has none, metres. Default 5. */
  defaultAccuracyM?: number;
  /** Confidence at or above which a verdict is certain. Default 0.997. */
  certainty?: number;
  /** How far to look for a fence, metres. Default 20,000. */
  fenceReachM?: number;
}
