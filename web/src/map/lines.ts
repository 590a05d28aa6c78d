// lindero's own layers (the boundary the server classifies against, its fences, its territories) prepared for drawing.
import type { Feature, FeatureCollection, LineString, MultiPolygon, Position } from 'geojson';
import type { DashboardConfig, LinesJson } from '../api/types.js';
import { cosLat } from './metres.js';
import { stripPolygons } from './strip.js';

/** Vertices per piece of the approach band: each piece is drawn at its own latitude's scale (<0.1 % off at 64). */
const BAND_PIECE_VERTICES = 64;

/** The layers as the server sends them; `territories` only from servers that send the polygons. */
export type LayersJson = LinesJson & { territories?: FeatureCollection<MultiPolygon, { territory: string }> };

export interface DrawnLines {
  boundary: FeatureCollection<LineString>;
  /** The boundary layer's territory polygons (empty when it has none), drawn faintly beneath the lines. */
  territories: FeatureCollection<MultiPolygon>;
  band: FeatureCollection<LineString>;
  fences: FeatureCollection<LineString>;
  strip: FeatureCollection;
}

export function drawnLines(lines: LayersJson, config: DashboardConfig): DrawnLines {
  const provenance = new Map(config.boundaries.map((b) => [b.name, shortProvenance(b.provenance)]));
  const boundary = lines.boundary.features.map((f, i) => ({
    ...f,
    id: i,
    properties: { ...f.properties, provenance: provenance.get(f.properties.name) ?? '' },
  }));
  const band: Feature<LineString>[] = [];
  for (const f of boundary) {
    const c = f.geometry.coordinates;
    for (let start = 0; start < c.length - 1; start += BAND_PIECE_VERTICES) {
      const piece = c.slice(start, Math.min(c.length, start + BAND_PIECE_VERTICES + 1));
      band.push({ type: 'Feature', properties: { cos_lat: cosLat(meanLat(piece)) }, geometry: { type: 'LineString', coordinates: piece } });
    }
  }
  const fences = lines.fences.features.map((f, i) => ({ ...f, id: i }));
  const strip = stripPolygons(boundary.map((f) => f.geometry.coordinates), fences);
  return {
    boundary: { type: 'FeatureCollection', features: boundary },
    territories: lines.territories ?? { type: 'FeatureCollection', features: [] },
    band: { type: 'FeatureCollection', features: band },
    fences: { type: 'FeatureCollection', features: fences },
    strip: { type: 'FeatureCollection', features: strip },
  };
}

const meanLat = (coords: Position[]) => coords.reduce((s, p) => s + p[1], 0) / coords.length;

/** The credit part of a provenance ("…; © OpenStreetMap contributors" → "© OpenStreetMap contributors"), short enough to run along the line. */
export function shortProvenance(provenance: string | null): string {
  if (!provenance) return '';
  const parts = provenance.split(';').map((p) => p.trim()).filter(Boolean);
  const credit = parts.find((p) => p.includes('©')) ?? parts[parts.length - 1] ?? '';
  return credit.length > 60 ? `${credit.slice(0, 59)}…` : credit;
}
