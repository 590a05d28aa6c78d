// The last step for every format: one FeatureCollection, non-empty, coordinates checked, properties normalised.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { LinderoError } from '../model/index.js';
import { checkGeometry } from './geometry-check.js';
import { MAX_FEATURES } from './limits.js';
import { normalizeProperties } from './properties.js';

/** A converted feature and, when the source format has lines (KML, GPX), the line it started on. */
export interface SourcedFeature {
  feature: Feature<Geometry | null>;
  line?: number;
  /** The file (or archive entry) the feature came from, when it is not the file being loaded. */
  file?: string;
}

/**
 * Builds the FeatureCollection a loader returns; throws 'layer-empty' when there is nothing to draw.
 * Features without a geometry (RFC 7946 §3.2 allows null) carry no line or area, so they are left out;
 * errors raised here still count features as the source file does.
 */
export function finishLayer(sourced: SourcedFeature[], file: string, what: string): FeatureCollection {
  if (sourced.length === 0) throw new LinderoError('layer-empty', `contains no features (${what})`, { file });
  if (sourced.length > MAX_FEATURES) {
    throw new LinderoError('layer-too-large', `has ${sourced.length} features; more than ${MAX_FEATURES} are refused`, { file });
  }
  const features: Feature[] = [];
  sourced.forEach(({ feature, line, file: source }, index) => {
    if (feature.geometry === null || feature.geometry === undefined) return;
    checkGeometry(feature.geometry, { file: source ?? file, feature: index, line });
    features.push({ ...feature, geometry: feature.geometry, properties: normalizeProperties(feature.properties) });
  });
  if (features.length === 0) {
    throw new LinderoError('layer-empty', `has ${sourced.length} feature${sourced.length === 1 ? '' : 's'} but none has a geometry`, { file });
  }
  return { type: 'FeatureCollection', features };
}
