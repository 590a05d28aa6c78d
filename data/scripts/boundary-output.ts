// Shapes the derived line and the corridor pieces into the GeoJSON files the project ships.
import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { BuildReport } from './build-boundary.js';
import type { LonLat } from './planar.js';
import type { CorridorCollection } from './territory-index.js';

export const LICENSE = 'ODbL-1.0';
export const ATTRIBUTION = '© OpenStreetMap contributors';

const km = (m: number) => (m / 1000).toFixed(1) + ' km';

export function derivationSummary(report: BuildReport): string {
  const g = report.gaps;
  return `Edges shared exactly by the United States and Mexico polygons (${km(report.sharedLengthM)} of ${km(report.totalLengthM)}), ` +
    `in ${report.sharedChains} stretches, joined across ${report.sharedChains - 1} gaps where the polygons part: ` +
    `${g['middle course'].count} channels between two shores by their chordal axis, a middle course (${km(g['middle course'].lengthM)}), ` +
    `${g['halfway course'].count} by points halfway between the shores matched by length (${km(g['halfway course'].lengthM)}), ` +
    `${g['Mexican edge'].count} by the Mexican polygon's edge (${km(g['Mexican edge'].lengthM)}), ${g['U.S. edge'].count} by the U.S. polygon's edge (${km(g['U.S. edge'].lengthM)}) ` +
    `and ${g['straight bridge'].count} by a straight line across water (${km(g['straight bridge'].lengthM)}); ` +
    'otherwise the shorter edge, and every choice checked to keep land that only one polygon covers on that country\'s side. ' +
    'Source coordinates kept exactly; middle-course vertices rounded to 1e-7 degrees.';
}

export function boundaryCollection(line: LonLat[], report: BuildReport, source: string): FeatureCollection<LineString> {
  const feature: Feature<LineString> = {
    type: 'Feature',
    properties: {
      name: 'United States–Mexico boundary',
      left: 'US',
      right: 'MX',
      edges: 'lonlat',
      source,
      license: LICENSE,
      attribution: ATTRIBUTION,
      derivation: derivationSummary(report),
    },
    geometry: { type: 'LineString', coordinates: line },
  };
  return { type: 'FeatureCollection', features: [feature] };
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
