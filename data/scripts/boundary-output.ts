// Shapes the derived line and the corridor pieces into the GeoJSON files the project ships.
import type { Feature, FeatureCollection, LineString, MultiPolygon } from 'geojson';
import type { CountryPolygons } from './source-map.js';
import type { LonLat } from './planar.js';
import type { CorridorCollection } from './territory-index.js';

export const LICENSE = 'ODbL-1.0';
export const ATTRIBUTION = '© OpenStreetMap contributors';

/**
 * The line's positional uncertainty, 1-sigma metres: the source maps are made at a stated absolute error of
 * 10 m (the geo-maps README), from OpenStreetMap traces of the river and of the land line between monuments.
 * data/README.md gives the evidence.
 */
export const LINE_UNCERTAINTY_M = 10;

const DERIVATION = 'The edges the United States and Mexico polygons of OpenStreetMap\'s political borders (land and the ' +
  '12-nautical-mile territorial sea) share exactly, west to east: the land boundary and its maritime continuations into the ' +
  'Pacific and the Gulf of Mexico out to the territorial sea\'s limit. Source coordinates kept exactly.';

/** The shipped layer: the line (United States on the left) and the two territories whose shared edge it is. */
export function boundaryCollection(line: LonLat[], countries: { us: CountryPolygons; mx: CountryPolygons }, source: string): FeatureCollection<LineString | MultiPolygon> {
  const common = { source, license: LICENSE, attribution: ATTRIBUTION };
  const territory = (code: string, name: string, polygons: CountryPolygons): Feature<MultiPolygon> => ({
    type: 'Feature',
    properties: { name, territory: code, edges: 'lonlat', ...common },
    geometry: { type: 'MultiPolygon', coordinates: polygons },
  });
  const feature: Feature<LineString> = {
    type: 'Feature',
    properties: {
      name: 'United States–Mexico boundary',
      left: 'US',
      right: 'MX',
      edges: 'lonlat',
      uncertainty_m: LINE_UNCERTAINTY_M,
      ...common,
      derivation: DERIVATION,
    },
    geometry: { type: 'LineString', coordinates: line },
  };
  return {
    type: 'FeatureCollection',
    features: [
      feature,
      territory('US', 'United States: land and territorial sea', countries.us),
      territory('MX', 'Mexico: land and territorial sea', countries.mx),
    ],
  };
}

/** The line one vertex a line (readable, small diffs); each territory ring on a line of its own. */
export function shippedJson(collection: FeatureCollection): string {
  const [line, ...territories] = collection.features;
  const lineText = JSON.stringify(line, null, 1).replace(/\[\n\s+(-?[\d.]+),\n\s+(-?[\d.]+)\n\s+\]/g, '[$1,$2]');
  const polygonText = territories.map((f) => {
    const g = f.geometry as MultiPolygon;
    const rings = g.coordinates.map((polygon) => '[' + polygon.map((ring) => JSON.stringify(ring)).join(',\n') + ']');
    return JSON.stringify({ ...f, geometry: { type: 'MultiPolygon', coordinates: [] } }).replace('"coordinates":[]', '"coordinates":[\n' + rings.join(',\n') + '\n]');
  });
  return '{\n "type": "FeatureCollection",\n "features": [\n' + [lineText, ...polygonText].join(',\n') + '\n ]\n}\n';
}

/** One piece per line, so the file stays readable and diffs stay small. */
export function corridorJson(corridor: CorridorCollection, source: string): string {
  const head = {
    type: 'FeatureCollection',
    source, license: LICENSE, attribution: ATTRIBUTION,
    description: 'United States and Mexico source polygons clipped to a corridor along the boundary, cut on a square grid; test fixture.',
    grid: corridor.grid,
    corridorTiles: corridor.corridorTiles,
  };
  const lines = corridor.features.map((f) => JSON.stringify(f));
  return JSON.stringify(head).slice(0, -1) + ',"features":[\n' + lines.join(',\n') + '\n]}\n';
}

/** Where the line crosses a few meridians, with a probe point beside it: a sanity check against known places. */
export function sampleCrossings(line: LonLat[]): { place: string; lon: number; probeLat: number; latitudes: number[] }[] {
  const places: [string, number, number][] = [
    ['Clint, Texas (Rio Grande)', -106.23, 31.59],
    ['El Paso / Ciudad Juárez', -106.45, 31.76],
    ['Nogales (land line at 31°20′N)', -110.94, 31.34],
    ['San Ysidro / Tijuana', -117.03, 32.545],
    ['Laredo / Nuevo Laredo', -99.5, 27.5],
    ['Big Bend (Santa Elena Canyon)', -103.6, 29.2],
    ['Brownsville / Matamoros', -97.5, 25.9],
  ];
  return places.map(([place, lon, probeLat]) => {
    const latitudes: number[] = [];
    for (let i = 0; i + 1 < line.length; i++) {
      const [a, b] = [line[i], line[i + 1]];
      if ((a[0] > lon) !== (b[0] > lon)) latitudes.push(a[1] + ((lon - a[0]) / (b[0] - a[0])) * (b[1] - a[1]));
    }
    return { place, lon, probeLat, latitudes };
  });
}
