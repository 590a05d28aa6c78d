import type { LineString } from 'geojson';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLayers, classify } from '../src/geo/index.js';
import { normalCdf } from '../src/geo/confidence.js';
import { loadDefaultBoundary } from '../src/layers/node.js';
import { direct, inverse, oracleLine } from './helpers/geodesic-oracle.js';

const boundary = loadDefaultBoundary();
const layers = buildLayers(boundary, null, { boundaryFile: 'default' });
const line = (boundary.features[0].geometry as LineString).coordinates as [number, number][];

/** The boundary segment that crosses a meridian near a latitude, and a point on it. */
function channelAt(lon: number, nearLat: number) {
  for (let i = 0; i + 1 < line.length; i++) {
    const [a, b] = [line[i], line[i + 1]];
    if ((a[0] - lon) * (b[0] - lon) <= 0 && a[0] !== b[0] && Math.abs(a[1] - nearLat) < 0.05) {
      const t = (lon - a[0]) / (b[0] - a[0]);
      const foot = { lat: a[1] + t * (b[1] - a[1]), lon };
      const az = inverse(a[1], a[0], b[1], b[0]).azi1 as number;
      return { foot, az, window: line.slice(Math.max(0, i - 40), i + 42) };
    }
  }
  throw new Error(`no segment crosses ${lon} near ${nearLat}`);
}

/** Every boundary segment with an end within `widthDeg` of longitude `lon`, each as its own two-vertex line. */
function nearbySegments(lon: number, widthDeg: number): [number, number][][] {
  const out: [number, number][][] = [];
  for (let i = 0; i + 1 < line.length; i++) {
    if (Math.abs(line[i][0] - lon) < widthDeg || Math.abs(line[i + 1][0] - lon) < widthDeg) out.push([line[i], line[i + 1]]);
  }
  return out;
}

describe('real places on the default U.S.–Mexico boundary', () => {
  it('a point 30 cm north of the Rio Grande channel near Clint is in US territory', () => {
    const { foot, az, window } = channelAt(-106.23, 31.5);
    // The line runs west to east with the U.S. on its left: left of the channel is north.
    const p = direct(foot.lat, foot.lon, az - 90, 0.3);
    assert.ok(p.lat > foot.lat, 'the offset point is north of the channel');
    const det = classify({ ...p, accuracyM: 0.05 }, layers);
    assert.equal(det.territory, 'US');
    const truth = oracleLine(p.lat, p.lon, window, 'lonlat');
    assert.ok(Math.abs(det.boundary.distanceM - truth.distanceM) < 0.001, `${det.boundary.distanceM} vs ${truth.distanceM}`);
    assert.ok(Math.abs(det.boundary.distanceM - 0.3) < 0.01, String(det.boundary.distanceM));
    // The shipped line is itself known to ±10 m: however good the receiver, 30 cm from it is not certain.
    assert.equal(det.certain, false, 'the line\'s own 10 m uncertainty dominates');
    assert.equal(det.uncertaintyDominant, 'line');
    assert.ok(Math.abs(det.uncertaintyM - Math.hypot(0.05, 10)) < 1e-9);
    // Against a line whose layer states no uncertainty (a surveyed line), 30 cm at 5 cm is six sigma.
    const surveyed = buildLayers({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'US', right: 'MX' }, geometry: { type: 'LineString', coordinates: window } }] }, null);
    assert.equal(classify({ ...p, accuracyM: 0.05 }, surveyed).certain, true, '30 cm at 5 cm accuracy is six sigma');
  });

  it('30 cm south of the same channel is Mexico, and at 5 m GPS accuracy the verdict is not certain', () => {
    const { foot, az } = channelAt(-106.23, 31.5);
    const p = direct(foot.lat, foot.lon, az + 90, 0.3);
    const det = classify({ ...p, accuracyM: 5 }, layers);
    assert.equal(det.territory, 'MX');
    assert.equal(det.certain, false);
    assert.ok(det.confidence > 0.5 && det.confidence < 0.6, String(det.confidence));
    assert.ok(Math.abs(det.confidence - normalCdf(det.boundary.distanceM / Math.hypot(5, 10))) < 1e-12, 'σ² = σ_device² + σ_line²');
  });

  it('Clint, Texas, is in the United States, over 5 km from the river', () => {
    const det = classify({ lat: 31.5918, lon: -106.2247 }, layers);
    assert.equal(det.territory, 'US');
    assert.ok(det.boundary.distanceM > 5000);
    assert.ok(det.boundary.bearingDeg > 180 && det.boundary.bearingDeg < 270, 'the river is to the south-west');
  });

  const pairs: [string, number, number, string][] = [
    ['downtown El Paso', 31.7587, -106.4869, 'US'],
    ['central Ciudad Juárez', 31.7386, -106.487, 'MX'],
    ['Nogales, Arizona', 31.3404, -110.9343, 'US'],
    ['Nogales, Sonora', 31.3086, -110.9422, 'MX'],
    ['Douglas, Arizona', 31.3445, -109.5453, 'US'],
    ['Agua Prieta, Sonora', 31.3276, -109.5488, 'MX'],
    ['San Ysidro, San Diego', 32.5522, -117.043, 'US'],
    ['downtown San Diego', 32.7157, -117.1611, 'US'],
    ['central Tijuana', 32.5149, -117.0382, 'MX'],
  ];
  for (const [name, lat, lon, territory] of pairs) {
    it(`${name} is in ${territory} territory`, () => {
      const det = classify({ lat, lon }, layers);
      assert.equal(det.territory, territory);
      assert.equal(det.certain, true);
      const truth = nearbySegments(lon, 0.5).map((seg) => oracleLine(lat, lon, seg, 'lonlat')).reduce((a, b) => (b.distanceM < a.distanceM ? b : a));
      assert.ok(Math.abs(det.boundary.distanceM - truth.distanceM) < 0.001, `${det.boundary.distanceM} vs ${truth.distanceM}`);
    });
  }
});
