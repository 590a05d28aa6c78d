import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { FeatureCollection } from 'geojson';
import { densifyGeodesic, direct, inverse, oracleLine, seeded } from '../../test/helpers/geodesic-oracle.js';
import { buildLayers, classify } from './index.js';
import { lonLatAzimuth } from './line-set.js';
import { ASSUMED_ACCURACY_M } from './classify.js';

type Coords = [number, number][];
type Edges = 'lonlat' | 'geodesic';

function lineLayer(coords: Coords, edges: Edges) {
  const fc: FeatureCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { name: 'test line', left: 'US', right: 'MX', edges }, geometry: { type: 'LineString', coordinates: coords } }],
  };
  return buildLayers(fc, null, { boundaryFile: 'test' });
}

/** The region left of a west→east line, closed 2° to the north: point-in-polygon truth for the side. */
function leftPolygon(coords: Coords, edges: Edges) {
  const path: Coords = edges === 'lonlat' ? coords : coords.slice(0, -1).flatMap((c, i) => densifyGeodesic(c, coords[i + 1], 100).slice(i === 0 ? 0 : 1));
  const first = coords[0], last = coords[coords.length - 1];
  const top = Math.max(...coords.map((c) => c[1])) + 2;
  // Extend both ends 1° east/west before closing, so points near an end are inside when they are left of it.
  const ring: Coords = [...path, [last[0] + 1, last[1]], [last[0] + 1, top], [first[0] - 1, top], [first[0] - 1, first[1]], first];
  return { type: 'Polygon' as const, coordinates: [ring] };
}

/** Azimuth of a segment's forward direction at parameter t, as each edge mode draws it. */
function segmentAzimuth(a: [number, number], b: [number, number], t: number, edges: Edges): { foot: { lat: number; lon: number }; az: number } {
  if (edges === 'lonlat') {
    const lat = a[1] + t * (b[1] - a[1]), lon = a[0] + t * (b[0] - a[0]);
    const az = lonLatAzimuth((lat * Math.PI) / 180, ((b[0] - a[0]) * Math.PI) / 180, ((b[1] - a[1]) * Math.PI) / 180);
    return { foot: { lat, lon }, az };
  }
  const whole = inverse(a[1], a[0], b[1], b[0]);
  const p = direct(a[1], a[0], whole.azi1 as number, (whole.s12 as number) * t);
  const rest = inverse(p.lat, p.lon, b[1], b[0]);
  return { foot: p, az: t < 1 ? (rest.azi1 as number) : (whole.azi2 as number) };
}

/** onBisector: equidistant from two segments, so the nearest point (and bearing) may be either. */
interface Probe { lat: number; lon: number; label: string; onBisector?: boolean }

/** Points 1 mm … 10 km from random places on the line, either side, plus both bisectors of every vertex. */
function probesFor(coords: Coords, edges: Edges, seed: number, count: number): Probe[] {
  const rnd = seeded(seed);
  const out: Probe[] = [];
  for (let i = 0; i < count; i++) {
    const k = Math.floor(rnd() * (coords.length - 1));
    const t = rnd();
    const d = 10 ** (-3 + rnd() * 7);
    const { foot, az } = segmentAzimuth(coords[k], coords[k + 1], t, edges);
    const side = rnd() < 0.5 ? -90 : 90;
    out.push({ ...direct(foot.lat, foot.lon, az + side, d), label: `segment ${k} t=${t.toFixed(3)} d=${d.toPrecision(3)} m ${side < 0 ? 'left' : 'right'}` });
  }
  for (let k = 1; k + 1 < coords.length; k++) {
    const inAz = segmentAzimuth(coords[k - 1], coords[k], 1, edges).az;
    const outAz = segmentAzimuth(coords[k], coords[k + 1], 0, edges).az;
    const bisector = (inAz + 180 + outAz) / 2 + (Math.abs(inAz + 180 - outAz) > 180 ? 180 : 0);
    for (const dir of [bisector, bisector + 180]) {
      for (const d of [0.001, 0.01, 0.3, 1, 10, 100, 1000, 10000]) {
        out.push({ ...direct(coords[k][1], coords[k][0], dir, d), label: `vertex ${k} bisector ${dir.toFixed(1)}° d=${d} m`, onBisector: true });
      }
    }
  }
  return out;
}

function checkAgainstOracle(coords: Coords, edges: Edges, seed: number, count: number) {
  const layers = lineLayer(coords, edges);
  const left = leftPolygon(coords, edges);
  let checked = 0;
  for (const p of probesFor(coords, edges, seed, count)) {
    const det = classify({ lat: p.lat, lon: p.lon }, layers);
    const truth = oracleLine(p.lat, p.lon, coords, edges);
    assert.ok(Math.abs(det.boundary.distanceM - truth.distanceM) < 0.001,
      `${p.label}: distance ${det.boundary.distanceM} vs GeographicLib ${truth.distanceM}`);
    const atEnd = [coords[0], coords[coords.length - 1]].some((c) => (inverse(truth.lat, truth.lon, c[1], c[0]).s12 as number) < 1e-6);
    if (truth.distanceM > 0.01 && !atEnd) {
      const expected = booleanPointInPolygon([p.lon, p.lat], left) ? 'US' : 'MX';
      assert.equal(det.territory, expected, `${p.label}: territory`);
    }
    if (truth.distanceM > 1 && !p.onBisector) {
      const diff = Math.abs(((det.boundary.bearingDeg - truth.azimuthDeg + 540) % 360) - 180);
      assert.ok(diff < 0.01, `${p.label}: bearing ${det.boundary.bearingDeg} vs ${truth.azimuthDeg}`);
      const miss = inverse(det.boundary.nearest.lat, det.boundary.nearest.lon, truth.lat, truth.lon).s12 as number;
      assert.ok(miss < 0.05 * Math.max(1, Math.sqrt(truth.distanceM / 100)), `${p.label}: nearest point off by ${miss} m`);
    }
    checked++;
  }
  return checked;
}

const PARALLEL: Coords = [[-108.2, 31 + 20 / 60], [-106.1, 31 + 20 / 60]];
const DIAGONAL: Coords = [[-106.5, 31.75], [-106.27, 31.52]];
// A zig-zag with convex and concave corners and a thin spike (a wedge 0.002° wide and 0.12° tall).
const ZIGZAG: Coords = [[-106.5, 31.5], [-106.45, 31.52], [-106.4, 31.48], [-106.399, 31.6], [-106.398, 31.48], [-106.35, 31.5], [-106.3, 31.45]];

describe('classify against GeographicLib, by brute force', () => {
  for (const edges of ['lonlat', 'geodesic'] as const) {
    it(`a 200 km boundary along 31°20′N given by two vertices (${edges} edges): distance within 1 mm, side and bearing right`, () => {
      assert.ok(checkAgainstOracle(PARALLEL, edges, 1, 150) > 100);
    });
    it(`a 35 km diagonal boundary (${edges} edges)`, () => {
      checkAgainstOracle(DIAGONAL, edges, 2, 120);
    });
    it(`a zig-zag with concave and convex corners and a thin spike, on both bisectors of every vertex (${edges} edges)`, () => {
      checkAgainstOracle(ZIGZAG, edges, 3, 150);
    });
  }

  it('lon/lat-straight and geodesic readings of a 200 km parallel differ by hundreds of metres midway', () => {
    const mid = { lat: 31 + 20 / 60 + 0.001, lon: -107.15 };
    const a = classify(mid, lineLayer(PARALLEL, 'lonlat'));
    const b = classify(mid, lineLayer(PARALLEL, 'geodesic'));
    assert.ok(Math.abs(a.boundary.distanceM - b.boundary.distanceM) > 100, `${a.boundary.distanceM} vs ${b.boundary.distanceM}`);
    assert.equal(a.territory, 'US');
    // The geodesic bulges north of the parallel, so the same point is south of it: Mexico.
    assert.equal(b.territory, 'MX');
  });

  it('points within 50 km of a long line, far from any vertex, still get distances within 1 mm', () => {
    const layers = lineLayer(PARALLEL, 'lonlat');
    const rnd = seeded(9);
    for (let i = 0; i < 40; i++) {
      const lon = -108 + rnd() * 1.7;
      const lat = 31 + 20 / 60 + (rnd() - 0.5) * 0.9;
      const det = classify({ lat, lon }, layers);
      const truth = oracleLine(lat, lon, PARALLEL, 'lonlat');
      assert.ok(Math.abs(det.boundary.distanceM - truth.distanceM) < 0.001, `(${lat}, ${lon}): ${det.boundary.distanceM} vs ${truth.distanceM}`);
    }
  });
});

describe('classify far from the line, against GeographicLib', () => {
  it('points 50 km to 12,000 km from a winding 300-vertex line get the nearest point within 1 mm', () => {
    const rnd = seeded(31);
    const coords: Coords = [];
    for (let i = 0, lat = 32.5; i < 300; i++) {
      lat = Math.min(33, Math.max(25.5, lat + (rnd() - 0.55) * 0.15));
      coords.push([-117 + (i * 20) / 299 + (rnd() - 0.5) * 0.03, lat]);
    }
    const layers = lineLayer(coords, 'lonlat');
    for (let i = 0; i < 30; i++) {
      const [lon0, lat0] = coords[Math.floor(rnd() * coords.length)];
      const p = direct(lat0, lon0, rnd() * 360, 10 ** (4.7 + rnd() * 2.4));
      const det = classify(p, layers);
      const truth = oracleLine(p.lat, p.lon, coords, 'lonlat');
      assert.ok(Math.abs(det.boundary.distanceM - truth.distanceM) < 0.001, `(${p.lat}, ${p.lon}): ${det.boundary.distanceM} vs ${truth.distanceM}`);
    }
  });
});

describe('confidence', () => {
  const layers = lineLayer(PARALLEL, 'lonlat');
  it('a point 3 sigma from the line is certain; 1 sigma is not', () => {
    const foot = { lat: 31 + 20 / 60, lon: -107 };
    const far = direct(foot.lat, foot.lon, 0, 15);
    const near = direct(foot.lat, foot.lon, 0, 5);
    const a = classify({ ...far, accuracyM: 5 }, layers);
    const b = classify({ ...near, accuracyM: 5 }, layers);
    assert.ok(Math.abs(a.confidence - 0.99865) < 1e-4, String(a.confidence));
    assert.equal(a.certain, true);
    assert.ok(Math.abs(b.confidence - 0.841345) < 1e-4, String(b.confidence));
    assert.equal(b.certain, false);
  });
  it('without a stated accuracy, 20 m is assumed and said to be assumed', () => {
    const p = direct(31 + 20 / 60, -107, 180, 5);
    const det = classify(p, layers);
    assert.equal(det.accuracyM, ASSUMED_ACCURACY_M);
    assert.equal(ASSUMED_ACCURACY_M, 20);
    assert.equal(det.accuracyAssumed, true);
    assert.equal(det.territory, 'MX');
    const stated = classify({ ...p, accuracyM: 5 }, layers);
    assert.equal(stated.accuracyM, 5);
    assert.equal(stated.accuracyAssumed, false);
    assert.equal(classify({ ...p, accuracyM: null }, layers).accuracyAssumed, true, 'a null accuracy is no accuracy');
  });
});

describe('confidence where territory polygons decide', () => {
  // Two 1° squares side by side: AA west of the meridian 0, BB east of it. Their shared edge is the line; their
  // other edges are the territories' outer limits (as the 12-nautical-mile limit is for the shipped layer).
  const square = (territory: string, west: number): FeatureCollection['features'][number] => ({
    type: 'Feature', properties: { territory },
    geometry: { type: 'Polygon', coordinates: [[[west, 0], [west + 1, 0], [west + 1, 1], [west, 1], [west, 0]]] },
  });
  const layers = buildLayers({ type: 'FeatureCollection', features: [square('AA', -1), square('BB', 0)] }, null);
  /** A position `metres` south of the squares' northern edge (inside them), at longitude lon. */
  const belowNorthEdge = (lon: number, metres: number) => direct(1, lon, 180, metres);

  it('5 m inside the outer limit, beyond the line\'s coverage, is not certain: Φ(5 m / σ)', () => {
    const det = classify({ ...belowNorthEdge(-0.6, 5), accuracyM: 5 }, layers);
    assert.equal(det.territory, 'AA');
    assert.ok(det.boundary.distanceM > 50_000, 'the polygons decide here, not the line');
    assert.ok(Math.abs(det.territoryEdgeM! - 5) < 0.01, String(det.territoryEdgeM));
    assert.ok(Math.abs(det.confidence - 0.841345) < 1e-3, String(det.confidence));
    assert.equal(det.certain, false);
  });

  it('5 m inside the outer limit where the line decides the side is not certain either', () => {
    const det = classify({ ...belowNorthEdge(-0.2, 5), accuracyM: 5 }, layers);
    assert.equal(det.territory, 'AA');
    assert.ok(det.boundary.distanceM < 50_000, 'within the line\'s coverage');
    assert.ok(Math.abs(det.confidence - 0.841345) < 1e-3, String(det.confidence));
    assert.equal(det.certain, false);
  });

  it('well inside the limit the line alone sets the confidence, as before, and no edge distance is given', () => {
    for (const lon of [-0.6, -0.2, 0.4]) {
      const det = classify({ ...belowNorthEdge(lon, 100), accuracyM: 5 }, layers);
      assert.equal(det.certain, true);
      assert.equal(det.confidence, 1);
      assert.equal(det.territoryEdgeM, undefined);
    }
  });

  it('near the line and far from the outer limits, the line\'s distance decides as before', () => {
    const p = direct(0.5, 0, 270, 5);
    const det = classify({ ...p, accuracyM: 5 }, layers);
    assert.equal(det.territory, 'AA');
    assert.ok(Math.abs(det.confidence - 0.841345) < 1e-3);
    assert.equal(det.territoryEdgeM, undefined);
  });

  it('outside every territory no side is claimed, however near the limit', () => {
    const det = classify({ ...direct(1, -0.6, 0, 5), accuracyM: 5 }, layers);
    assert.equal(det.territory, null);
    assert.equal(det.confidence, 0);
    assert.equal(det.certain, false);
  });
});
