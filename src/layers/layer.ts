// The last step for every format: one FeatureCollection, non-empty, coordinates checked, properties normalised.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { LinderoError } from '../model/index.js';
import { withoutCollapsedRings } from './collapsed-rings.js';
import { checkGeometry } from './geometry-check.js';
import { MAX_FEATURES } from './limits.js';
import { normalizeProperties } from './properties.js';

/** A converted feature and, when the source format has lines (KML, GPX), the line it started on. */
export interface SourcedFeature {
  feature: Feature<Geometry | null>;
  line?: number;
  /** The file (or archive entry) the feature came from, when it is not the file being loaded. */
  file?: string;
  /** What the source's datum, taken as WGS 84, adds to the feature's 1-sigma uncertainty, metres (crs.ts). */
  datumUncertaintyM?: number;
}

/** A reader's features, and what to tell the user about how they were read (see crs.ts). */
export interface ReadFeatures {
  features: SourcedFeature[];
  notes: string[];
}

/** A loaded layer: its features and what the user should know about how they were read (a datum taken as WGS 84). */
export interface LoadedLayer extends FeatureCollection {
  notes?: string[];
}

/**
 * Builds the FeatureCollection a loader returns; throws 'layer-empty' when there is nothing to draw.
 * Features without a geometry (RFC 7946 §3.2 allows null) carry no line or area, so they are left out;
 * errors raised here still count features as the source file does.
 */
export function finishLayer(sourced: SourcedFeature[], file: string, what: string, notes: string[] = []): LoadedLayer {
  if (sourced.length === 0) throw new LinderoError('layer-empty', `contains no features (${what})`, { file });
  if (sourced.length > MAX_FEATURES) {
    throw new LinderoError('layer-too-large', `has ${sourced.length} features; more than ${MAX_FEATURES} are refused`, { file });
  }
  const features: Feature[] = [];
  const collapsedIn: number[] = [];
  let collapsedRings = 0;
  sourced.forEach(({ feature, line, file: source, datumUncertaintyM }, index) => {
    if (feature.geometry === null || feature.geometry === undefined) return;
    const { geometry, dropped } = withoutCollapsedRings(feature.geometry);
    if (dropped > 0) {
      collapsedRings += dropped;
      collapsedIn.push(index);
    }
    if (geometry === null) return;
    checkGeometry(geometry, { file: source ?? file, feature: index, line });
    const properties = normalizeProperties(feature.properties);
    if (datumUncertaintyM) properties.uncertainty_m = withDatum(properties.uncertainty_m, datumUncertaintyM);
    features.push({ ...feature, geometry, properties });
  });
  if (collapsedRings > 0) {
    const listed = collapsedIn.slice(0, 5).join(', ') + (collapsedIn.length > 5 ? ', …' : '');
    notes = [...notes, `${file}: ${collapsedRings} polygon ring${collapsedRings === 1 ? '' : 's'} collapsed to a point or a line (no area; fewer than 4 positions) left out, in feature${collapsedIn.length === 1 ? '' : 's'} ${listed}`];
  }
  if (features.length === 0) {
    throw new LinderoError('layer-empty', `has ${sourced.length} feature${sourced.length === 1 ? '' : 's'} but none has a geometry`, { file });
  }
  return notes.length > 0 ? { type: 'FeatureCollection', features, notes } : { type: 'FeatureCollection', features };
}

/**
 * A feature's stated uncertainty with its datum's joined, σ² = σ_stated² + σ_datum² (none stated is 0); a
 * value that is not a number of metres is left for buildLayers to refuse with its name.
 */
function withDatum(stated: unknown, datumM: number): unknown {
  if (stated === undefined || stated === null) return datumM;
  const n = typeof stated === 'string' && stated.trim() !== '' ? Number(stated) : stated;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.hypot(n, datumM) : stated;
}
