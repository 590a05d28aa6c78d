// The truth anywhere on Earth: the shipped layer's territories against an independent point-in-polygon, named
// places on both sides and outside, journeys that leave the layers' coverage, and line-only layers' coverage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, LineString, MultiPolygon } from 'geojson';
import { whereSentence } from '../src/answer/index.js';
import { buildLayers, classify, type Layers } from '../src/geo/index.js';
import { loadDefaultBoundary } from '../src/layers/node.js';
import { UnitRules } from '../src/rules/index.js';
import { analyzeTrack, type AnalysisItem } from '../src/analysis/index.js';
import type { Fix } from '../src/model/index.js';
import { layersGeoJson } from '../src/server/index.js';
import { direct, inverse, seeded } from './helpers/geodesic-oracle.js';

const shipped = loadDefaultBoundary() as FeatureCollection;
const layers = buildLayers(shipped, null, { boundaryFile: 'default' });
const line = (shipped.features[0] as Feature<LineString>).geometry.coordinates as [number, number][];
const territories = shipped.features.slice(1) as Feature<MultiPolygon, { territory: string }>[];

/** Which shipped territory polygon contains the point, by Turf's point-in-polygon (its own ray casting, boundary excluded). */
function turfTerritory(lat: number, lon: number): string | null {
  for (const t of territories) if (booleanPointInPolygon([lon, lat], t, { ignoreBoundary: true })) return t.properties.territory;
  return null;
}

/** Least planar distance in degrees from the point to any territory edge, scaled by cos(lat) in longitude. */
function degreesToAnEdge(lat: number, lon: number): number {
  let least = Infinity;
  const c = Math.cos((lat * Math.PI) / 180);
  for (const t of territories) for (const polygon of t.geometry.coordinates) for (const ring of polygon) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i], [bx, by] = ring[i + 1];
      if (Math.min(ax, bx) > lon + 0.01 || Math.max(ax, bx) < lon - 0.01 || Math.min(ay, by) > lat + 0.01 || Math.max(ay, by) < lat - 0.01) continue;
      const ux = (bx - ax) * c, uy = by - ay, wx = (lon - ax) * c, wy = lat - ay;
      const len2 = ux * ux + uy * uy;
      const t2 = len2 > 0 ? Math.max(0, Math.min(1, (wx * ux + wy * uy) / len2)) : 0;
      least = Math.min(least, Math.hypot(wx - t2 * ux, wy - t2 * uy));
    }
  }
  return least;
}

describe('the shipped territories, anywhere on Earth', () => {
  it('agree with an independent point-in-polygon at 10,000 positions: uniform on the sphere, over the region, and 5–150 km from the line', () => {
    const random = seeded(20261206);
    const points: { lat: number; lon: number; kind: string }[] = [];
    for (let i = 0; i < 4000; i++) points.push({ lat: (Math.asin(2 * random() - 1) * 180) / Math.PI, lon: random() * 360 - 180, kind: 'sphere' });
    for (let i = 0; i < 4000; i++) points.push({ lat: 12 + random() * 40, lon: -128 + random() * 45, kind: 'region' });
    for (let i = 0; i < 2000; i++) {
      const k = Math.floor(random() * (line.length - 1));
      const [a, b] = [line[k], line[k + 1]];
      const az = (inverse(a[1], a[0], b[1], b[0]).azi1 as number) + (random() < 0.5 ? 90 : -90);
      const p = direct(a[1], a[0], az, 5000 * 30 ** random());
      points.push({ ...p, kind: 'line' });
    }
    // The band: classify and Turf disagree only where rounding puts a point on either side of an edge, so
    // within 1e-9° (0.1 mm) of one; every other point must agree exactly.
    const BAND_DEG = 1e-9;
    const disagreements: string[] = [];
    let inside = 0;
    for (const p of points) {
      const ours = classify(p, layers).territory;
      const theirs = turfTerritory(p.lat, p.lon);
      if (theirs !== null) inside++;
      if (ours !== theirs && degreesToAnEdge(p.lat, p.lon) > BAND_DEG) disagreements.push(`${p.kind} ${p.lat},${p.lon}: lindero ${ours}, polygons ${theirs}`);
    }
    assert.deepEqual(disagreements, []);
    assert.ok(inside > 3000, `${inside} points inside a territory: the test reaches both verdicts`);
  });

  it('names the territory of places in the United States and Mexico, and says "outside" everywhere else', () => {
    const places: [string, number, number, string | null][] = [
      ['New Orleans', 29.9511, -90.0715, 'US'], ['Miami', 25.7617, -80.1918, 'US'], ['Honolulu', 21.3069, -157.8583, 'US'],
      ['San Juan', 18.4655, -66.1057, 'US'], ['Anchorage', 61.2181, -149.9003, 'US'],
      ['Mexico City', 19.4326, -99.1332, 'MX'], ['Cancún', 21.1619, -86.8515, 'MX'],
      ['London', 51.5074, -0.1278, null], ['Ottawa', 45.4215, -75.6972, null], ['Havana', 23.1136, -82.3666, null],
      ['Guatemala City', 14.6349, -90.5069, null], ['Belize City', 17.5046, -88.1962, null],
      ['New Zealand', -37.78, 175.31, null], ['0, 0', 0, 0, null], ['the North Pole', 90, 0, null], ['the South Pole', -90, 0, null],
      ['15 km off San Diego', 32.7157, -117.33, 'US'], ['10 km off Tijuana', 32.45, -117.2, 'MX'],
    ];
    // 60 km off San Diego and 40 km off the Rio Grande mouth: beyond the 12-nautical-mile territorial sea.
    const offSanDiego = direct(32.7157, -117.25, 260, 60_000);
    const offRioGrande = direct(25.9561, -97.1459, 90, 40_000);
    places.push(['60 km off San Diego', offSanDiego.lat, offSanDiego.lon, null], ['40 km off the Rio Grande mouth', offRioGrande.lat, offRioGrande.lon, null]);
    for (const [name, lat, lon, expected] of places) {
      const d = classify({ lat, lon, accuracyM: 10 }, layers);
      assert.equal(d.territory, expected, name);
      assert.equal(d.outside, expected === null, name);
      if (expected === null) {
        assert.equal(d.certain, false, `${name}: never certain of a side`);
        assert.equal(d.boundary.otherTerritory, null);
        assert.ok(d.boundary.distanceM > 0 && Number.isFinite(d.boundary.bearingDeg), `${name}: distance and bearing still given`);
      } else {
        assert.equal(d.certain, true, name);
      }
    }
  });

  it('gives the distance to the line of a far position as GeographicLib measures it to the point found', () => {
    const d = classify({ lat: 51.5074, lon: -0.1278 }, layers);
    const check = inverse(51.5074, -0.1278, d.boundary.nearest.lat, d.boundary.nearest.lon);
    assert.ok(Math.abs((check.s12 as number) - d.boundary.distanceM) < 1e-3, `${check.s12} vs ${d.boundary.distanceM}`);
  });
});

const T0 = Date.parse('2026-12-06T12:00:00Z');

/** Fixes every `stepM` along the geodesic from a to b, one every 10 s. */
function journey(unit: string, a: { lat: number; lon: number }, b: { lat: number; lon: number }, stepM: number): Fix[] {
  const g = inverse(a.lat, a.lon, b.lat, b.lon) as { s12: number; azi1: number };
  const fixes: Fix[] = [];
  for (let s = 0, i = 0; s <= g.s12; s += stepM, i++) {
    const p = direct(a.lat, a.lon, g.azi1, s);
    fixes.push({ unit, time: T0 + i * 10_000, lat: p.lat, lon: p.lon, accuracyM: 5, source: 'json' });
  }
  return fixes;
}

async function* items(fixes: Fix[]): AsyncGenerator<AnalysisItem> {
  for (const fix of fixes) yield { kind: 'fix', fix };
}

function liveAlerts(fixes: Fix[], l: Layers) {
  const rules = new UnitRules(fixes[0].unit);
  return fixes.flatMap((f) => rules.observe(f, classify(f, l)));
}

describe('journeys that leave the layers\' coverage', () => {
  it('a drive from Houston to New Orleans raises no crossing, live or in track analysis', async () => {
    const drive = journey('truck-7', { lat: 29.7604, lon: -95.3698 }, { lat: 29.9511, lon: -90.0715 }, 2000);
    assert.deepEqual(liveAlerts(drive, layers).filter((a) => a.kind === 'crossing'), []);
    const report = await analyzeTrack(items(drive), layers);
    assert.deepEqual(report.units[0].crossings, []);
    assert.ok(drive.every((f) => classify(f, layers).territory === 'US'));
  });

  it('a boat leaving the territorial sea off San Diego raises no crossing; its time outside is reported as outside', async () => {
    const boat = journey('boat-3', { lat: 32.7, lon: -117.3 }, direct(32.7, -117.3, 250, 60_000), 250);
    const verdicts = boat.map((f) => classify(f, layers).territory);
    assert.equal(verdicts[0], 'US');
    assert.equal(verdicts[verdicts.length - 1], null);
    assert.deepEqual(liveAlerts(boat, layers).filter((a) => a.kind === 'crossing'), []);
    const report = await analyzeTrack(items(boat), layers);
    const unit = report.units[0];
    assert.deepEqual(unit.crossings, []);
    assert.ok((unit.timeInS.outside ?? 0) > 0 && (unit.timeInS.US ?? 0) > 0, JSON.stringify(unit.timeInS));
  });
});

describe('the territories as the server gives them to the dashboard', () => {
  it('are the shipped polygons, ring for ring and point for point', () => {
    const served = layersGeoJson(layers).territories.features;
    assert.deepEqual(served.map((f) => f.properties.territory), territories.map((t) => t.properties.territory));
    served.forEach((f, i) => {
      // The same rings (without the repeated points the shipped data never has), closed.
      const shipped = territories[i].geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(([lon, lat]) => [lon, lat])));
      assert.deepEqual(f.geometry.coordinates, shipped);
    });
  });
});

describe('confidence at the territorial sea\'s limit', () => {
  it('a boat 5 m inside the 12-nautical-mile limit off San Diego is not certain of being in US territory; 2 km inside it is', () => {
    // Out from Point Loma on a bearing of 250°: find where the territory ends, to a millimetre.
    const start = { lat: 32.7, lon: -117.3 };
    let inside = 0, outside = 60_000;
    while (outside - inside > 0.001) {
      const mid = (inside + outside) / 2;
      if (classify(direct(start.lat, start.lon, 250, mid), layers).territory === 'US') inside = mid;
      else outside = mid;
    }
    const near = classify({ ...direct(start.lat, start.lon, 250, inside - 5), accuracyM: 5 }, layers);
    assert.equal(near.territory, 'US');
    assert.ok(near.boundary.distanceM > 1_000, 'the line (the maritime boundary, some 6 km off) alone would make it certain');
    assert.ok(near.territoryEdgeM! <= 5.01, String(near.territoryEdgeM));
    assert.ok(near.confidence < 0.75, String(near.confidence));
    assert.equal(near.certain, false);
    assert.match(whereSentence(near, '11SMS0000000000', 'en'), /The edge of the territories this layer covers is 5 m away\. .*NOT CERTAIN/);
    assert.match(whereSentence(near, '11SMS0000000000', 'es'), /El borde de los territorios que cubre la capa está a 5 m\. .*NO ES SEGURO/);
    const well = classify({ ...direct(start.lat, start.lon, 250, inside - 2_000), accuracyM: 5 }, layers);
    assert.equal(well.certain, true);
    assert.equal(well.territoryEdgeM, undefined);
  });
});

describe('a line-only layer decides only near itself and between its ends', () => {
  // A straight east–west line along 31.5°N from 106.5°W to 106°W: the United States to the north (left).
  const lineOnly: FeatureCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { left: 'US', right: 'MX', name: 'test line' }, geometry: { type: 'LineString', coordinates: [[-106.5, 31.5], [-106, 31.5]] } }],
  };
  const narrow = buildLayers(lineOnly, null, { coverageM: 10_000 });

  it('within the coverage distance beside the line, the sides are the territories', () => {
    assert.equal(classify(direct(31.5, -106.25, 0, 9_000), narrow).territory, 'US');
    assert.equal(classify(direct(31.5, -106.25, 180, 9_000), narrow).territory, 'MX');
  });

  it('farther than the coverage distance, or beyond an end of the line, it is outside', () => {
    const far = classify(direct(31.5, -106.25, 0, 11_000), narrow);
    assert.equal(far.territory, null);
    assert.equal(far.outside, true);
    assert.equal(classify(direct(31.5, -106.5, 270, 2_000), narrow).territory, null, 'west of its western end');
    assert.equal(classify(direct(31.5, -106, 90, 2_000), narrow).territory, null, 'east of its eastern end');
  });

  it('the default coverage is 50 km', () => {
    const wide = buildLayers(lineOnly, null);
    assert.equal(wide.coverageM, 50_000);
    assert.equal(classify(direct(31.5, -106.25, 0, 49_000), wide).territory, 'US');
    assert.equal(classify(direct(31.5, -106.25, 0, 51_000), wide).territory, null);
  });
});

describe('a line may state its own coverage and uncertainty', () => {
  it('coverage_m on the feature overrides the default, and uncertainty_m joins every verdict', () => {
    const own = buildLayers({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { left: 'US', right: 'MX', coverage_m: 2000, uncertainty_m: '3' }, geometry: { type: 'LineString', coordinates: [[-106.5, 31.5], [-106, 31.5]] } }],
    }, null);
    assert.equal(classify(direct(31.5, -106.25, 0, 1_900), own).territory, 'US');
    assert.equal(classify(direct(31.5, -106.25, 0, 2_100), own).territory, null);
    const d = classify({ ...direct(31.5, -106.25, 0, 1_000), accuracyM: 4 }, own);
    assert.deepEqual([d.lineUncertaintyM, d.uncertaintyM, d.uncertaintyDominant], [3, 5, 'position']);
    assert.throws(() => buildLayers({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'US', right: 'MX', uncertainty_m: -1 }, geometry: { type: 'LineString', coordinates: [[-106.5, 31.5], [-106, 31.5]] } }] }, null),
      (e: { place?: { field?: string } }) => e.place?.field === 'uncertainty_m');
  });
});
