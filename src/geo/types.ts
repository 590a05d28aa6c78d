import type { LatLon, Territory } from '../model/index.js';
export type { Determination, FenceDetermination, LatLon, Position, Territory } from '../model/index.js';

/** How a segment between two vertices is drawn. RFC 7946: straight in longitude/latitude unless a layer says geodesic. */
export type EdgeMode = 'lonlat' | 'geodesic';

/** One boundary line: walking it in coordinate order, `left` and `right` are the territories on each side. */
export interface BoundaryLine {
  name: string;
  /** [lon, lat] pairs, at least two. */
  coordinates: [number, number][];
  left: Territory;
  right: Territory;
  edges: EdgeMode;
  provenance?: string;
  /** Positional uncertainty of the line itself, 1-sigma metres (0 when the layer does not state one). */
  uncertaintyM?: number;
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

export interface ClassifyOptions {
  /** 1-sigma accuracy assumed when the position has none, metres. Default ASSUMED_ACCURACY_M (20). */
  defaultAccuracyM?: number;
  /** The same, per source (a Fix's `source`: "cot", "osmand", "nmea", "json", …), before defaultAccuracyM. */
  assumedAccuracyBySourceM?: Readonly<Record<string, number>>;
  /** Confidence at or above which a verdict is certain. Default 0.997. */
  certainty?: number;
  /** How far to look for a fence, metres. Default 20,000. */
  fenceReachM?: number;
}
