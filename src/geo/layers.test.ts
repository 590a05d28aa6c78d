import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { LinderoError } from '../model/index.js';
import { oracleLine, seeded } from '../../test/helpers/geodesic-oracle.js';
import { buildLayers, classify } from './index.js';

type Coords = [number, number][];
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const poly = (territory: string, ring: Coords, extra: Record<string, unknown> = {}): Feature<Polygon> => ({
  type: 'Feature', properties: { territory, ...extra }, geometry: { type: 'Polygon', coordinates: [ring] },
});

// A shared border with a concave notch: US to the north, MX to the south; the rings run opposite ways.
const BORDER: Coords = [[-107, 31.3], [-106.8, 31.3], [-106.75, 31.25], [-106.7, 31.35], [-106.6, 31.3], [-106.5, 31.3]];
const US_RING: Coords = [...BORDER, [-106.5, 31.8], [-107, 31.8], [-107, 31.3]];
const MX_RING: Coords = [...[...BORDER].reverse(), [-107, 30.8], [-106.5, 30.8], [-106.5, 31.3]];

function expectError(fn: () => unknown, code: string, field?: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof LinderoError, String(e));
    assert.equal(e.code, code, e.message);
    if (field) assert.equal(e.place.field, field);
    assert.equal(e.place.file, 'b.geojson');
    return true;
  });
}

describe('territory polygons as a boundary', () => {
  const layers = buildLayers(fc([poly('US', US_RING), poly('MX', MX_RING)]), null, { boundaryFile: 'b.geojson' });

  it('the shared edges become the boundary, and every point agrees with point-in-polygon', () => {
    const rnd = seeded(4);
    for (let i = 0; i < 3000; i++) {
      const lon = -106.99 + rnd() * 0.48;
      const lat = 31.2 + rnd() * 0.2;
      const det = classify({ lat, lon }, layers);
      const inUs = booleanPointInPolygon([lon, lat], { type: "Polygon", coordinates: [US_RING] });
      const inMx = booleanPointInPolygon([lon, lat], { type: 'Polygon', coordinates: [MX_RING] });
      if (inUs !== inMx) assert.equal(det.territory, inUs ? 'US' : 'MX', `(${lat}, ${lon})`);
    }
  });

  it('distances are to the shared edges only, not the polygons’ outer edges', () => {
    const det = classify({ lat: 31.7, lon: -106.95 }, layers);
    const truth = oracleLine(31.7, -106.95, BORDER, 'lonlat');
    assert.ok(Math.abs(det.boundary.distanceM - truth.distanceM) < 0.001);
    assert.equal(det.territory, 'US');
    assert.equal(det.boundary.otherTerritory, 'MX');
  });

  it('a polygon given clockwise is read the same as one given counter-clockwise', () => {
    const flipped = buildLayers(fc([poly('US', [...US_RING].reverse()), poly('MX', MX_RING)]), null, { boundaryFile: 'b.geojson' });
    for (const p of [{ lat: 31.28, lon: -106.75 }, { lat: 31.26, lon: -106.75 }, { lat: 31.33, lon: -106.7 }]) {
      assert.equal(classify(p, flipped).territory, classify(p, layers).territory);
    }
  });
});

describe('bad boundary and fence layers are refused with the place named', () => {
  const line = (props: Record<string, unknown>, coordinates: unknown = [[-107, 31], [-106, 31]]): Feature =>
    ({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates } } as Feature);
  const opts = { boundaryFile: 'b.geojson' };

  it('a line without left/right', () => expectError(() => buildLayers(fc([line({ right: 'MX' })]), null, opts), 'boundary-missing-territory', 'left'));
  it('a territory that is not an ISO code', () => expectError(() => buildLayers(fc([line({ left: 'USA', right: 'MX' })]), null, opts), 'boundary-bad-territory', 'left'));
  it('the same territory on both sides', () => expectError(() => buildLayers(fc([line({ left: 'US', right: 'us' })]), null, opts), 'boundary-same-sides', 'right'));
  it('an unknown edges mode', () => expectError(() => buildLayers(fc([line({ left: 'US', right: 'MX', edges: 'rhumb' })]), null, opts), 'layer-bad-edges', 'edges'));
  it('coordinates out of range (lat/lon swapped)', () => expectError(() => buildLayers(fc([line({ left: 'US', right: 'MX' }, [[31, -107], [31, -106]])]), null, opts), 'layer-bad-coordinates', 'coordinates'));
  it('NaN and strings as coordinates', () => {
    expectError(() => buildLayers(fc([line({ left: 'US', right: 'MX' }, [[NaN, 31], [-106, 31]])]), null, opts), 'layer-bad-coordinates');
    expectError(() => buildLayers(fc([line({ left: 'US', right: 'MX' }, [['-107', 31], [-106, 31]])]), null, opts), 'layer-bad-coordinates');
  });
  it('a line of one repeated vertex', () => expectError(() => buildLayers(fc([line({ left: 'US', right: 'MX' }, [[-107, 31], [-107, 31]])]), null, opts), 'layer-short-line'));
  it('an empty collection', () => expectError(() => buildLayers(fc([]), null, opts), 'boundary-empty'));
  it('something that is not a FeatureCollection', () => expectError(() => buildLayers({ type: 'Feature' } as unknown as FeatureCollection, null, opts), 'boundary-not-feature-collection'));
  it('a boundary of points only', () => expectError(() => buildLayers(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } }]), null, opts), 'boundary-no-lines'));
  it('a geometry collection as a boundary', () => expectError(() => buildLayers(fc([{ type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [] } }]), null, opts), 'boundary-bad-geometry', 'geometry'));
  it('pins beside the lines are left out with a note', () => {
    const pin: Feature = { type: 'Feature', properties: { name: 'Gate 4' }, geometry: { type: 'Point', coordinates: [-106.5, 31] } };
    const layers = buildLayers(fc([line({ left: 'US', right: 'MX' }), pin]), fc([pin, line({ name: 'f' }, [[-107, 31.01], [-106, 31.01]])]), { boundaryFile: 'b.kml', fenceFile: 'f.gpx' });
    assert.equal(layers.notes.length, 2);
    assert.match(layers.notes[0], /b\.kml: feature 1 is a point/);
    assert.match(layers.notes[1], /f\.gpx: feature 0 is a point/);
  });
  it('polygons that share no edge', () => {
    const a = poly('US', [[-107, 31], [-106, 31], [-106, 32], [-107, 32], [-107, 31]]);
    const b = poly('MX', [[-107, 29], [-106, 29], [-106, 30], [-107, 30], [-107, 29]]);
    expectError(() => buildLayers(fc([a, b]), null, opts), 'boundary-no-shared-edge');
  });
  it('polygons of a single territory', () => {
    expectError(() => buildLayers(fc([poly('US', US_RING), poly('US', MX_RING)]), null, opts), 'boundary-no-shared-edge');
  });
  it('a segment across the antimeridian', () => expectError(() => buildLayers(fc([line({ left: 'US', right: 'MX' }, [[179, 31], [-179, 31]])]), null, opts), 'layer-antimeridian'));
  it('a polygon as a fence', () => {
    assert.throws(() => buildLayers(fc([line({ left: 'US', right: 'MX' })]), fc([poly('US', US_RING)]), { fenceFile: 'f.geojson' }),
      (e: unknown) => e instanceof LinderoError && e.code === 'fence-bad-geometry' && e.place.file === 'f.geojson' && e.place.feature === 0);
  });
});

describe('fences', () => {
  const boundary = fc([{ type: 'Feature', properties: { left: 'US', right: 'MX' }, geometry: { type: 'LineString', coordinates: BORDER } }]);
  // A fence about 1 km north of the line, drawn east to west so that its left is south, towards the line.
  const fenceCoords: Coords = [[-106.5, 31.36], [-106.75, 31.36], [-107, 31.36]];
  const fences = fc([{ type: 'Feature', properties: { name: 'Demo fence', illustrative: true }, geometry: { type: 'LineString', coordinates: fenceCoords } }]);
  const layers = buildLayers(boundary, fences, { boundaryFile: 'b', fenceFile: 'f' });

  it('a point between the fence and the line, in the fence’s territory, is in the strip', () => {
    const det = classify({ lat: 31.33, lon: -106.9 }, layers);
    assert.equal(det.territory, 'US');
    assert.equal(det.fence?.name, 'Demo fence');
    assert.equal(det.fence?.side, 'boundary');
    assert.equal(det.fence?.illustrative, true);
    assert.equal(det.zone, 'strip');
  });
  it('a point north of the fence is inland', () => {
    const det = classify({ lat: 31.4, lon: -106.9 }, layers);
    assert.equal(det.fence?.side, 'inland');
    assert.equal(det.zone, 'inland');
  });
  it('a point across the line is on the boundary side of the fence but not in the strip', () => {
    const det = classify({ lat: 31.28, lon: -106.9 }, layers);
    assert.equal(det.territory, 'MX');
    assert.equal(det.fence?.side, 'boundary');
    assert.equal(det.zone, 'inland');
  });
  it('no fence within 20 km gives fence null', () => {
    const det = classify({ lat: 31.36, lon: -105.5 }, layers);
    assert.equal(det.fence, null);
  });
});

describe('a boundary in several pieces', () => {
  // One zig-zag line with a thin spike, split into two features at the spike's tip: a junction.
  const whole: Coords = [[-106.5, 31.5], [-106.45, 31.52], [-106.4, 31.48], [-106.399, 31.6], [-106.398, 31.48], [-106.35, 31.5]];
  const left: Coords = whole.slice(0, 4), right: Coords = whole.slice(3);
  const piece = (coordinates: Coords): Feature => ({ type: 'Feature', properties: { left: 'US', right: 'MX' }, geometry: { type: 'LineString', coordinates } });
  const joined = buildLayers(fc([piece(right), piece(left)]), null, { boundaryFile: 'b.geojson' });
  const single = buildLayers(fc([piece(whole)]), null, { boundaryFile: 'b.geojson' });

  it('two lines meeting at the tip of a thin spike classify exactly as the whole line does', () => {
    const rnd = seeded(11);
    for (let i = 0; i < 2000; i++) {
      // Points crowded round the spike's tip, from millimetres to a few kilometres away.
      const r = 10 ** (-8 + rnd() * 6.5), a = rnd() * 2 * Math.PI;
      const p = { lat: 31.6 + r * Math.sin(a), lon: -106.399 + r * Math.cos(a) };
      const x = classify(p, joined), y = classify(p, single);
      assert.equal(x.territory, y.territory, `(${p.lat}, ${p.lon})`);
      assert.ok(Math.abs(x.boundary.distanceM - y.boundary.distanceM) < 1e-9);
    }
  });
});
