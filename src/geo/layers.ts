import type { FeatureCollection } from 'geojson';
import type { BoundaryLine, FenceLine } from './types.js';

export interface LayerSources {
  /** File name (or label) the boundary came from, for error messages and provenance. */
  boundaryFile?: string;
  fenceFile?: string;
}

/** Compiled boundary and fence layers, ready for classify(). Build with buildLayers(). */
export interface Layers {
  boundaryLines: BoundaryLine[];
  fenceLines: FenceLine[];
}

/**
 * Builds layers from GeoJSON. Boundary: LineString/MultiLineString features with `left`/`right`,
 * or Polygon/MultiPolygon features with `territory` (the boundary is their shared edges).
 * Optional `edges`: "lonlat" (default) or "geodesic". Fences: LineString features with `name`.
 * Throws LinderoError naming the file, feature and field.
 */
export function buildLayers(boundary: FeatureCollection, fences?: FeatureCollection | null, sources: LayerSources = {}): Layers {
  void boundary; void fences; void sources;
  throw new Error('buildLayers: not implemented yet');
}
