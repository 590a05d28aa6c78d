import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { direct, seeded } from '../../test/helpers/geodesic-oracle.js';
import { classify } from './classify.js';
import { loadDefaultBoundary } from '../../test/helpers/layers.js';
import { exactOnSegment } from './far.js';
import { buildLayers } from './layers.js';
import { emptyNearest } from './nearest.js';
import { emptyHit, makeProbe } from './segment.js';

const layers = buildLayers(loadDefaultBoundary(), null);
const set = layers.boundary;

/** The nearest point by brute force: every segment's exact nearest point (GeographicLib far away). */
function exhaustive(lat: number, lon: number): number {
  const p = makeProbe(lat, lon);
  const hit = emptyHit();
  let best = Infinity;
  for (let k = 0; k < set.segmentCount; k++) {
    exactOnSegment(set, k, p, hit);
    best = Math.min(best, hit.distanceM);
  }
  return best;
}

describe('the far search', () => {
  it('finds the nearest point of the line as an exhaustive search does, from 50 km to the antipodes', () => {
    const random = seeded(314);
    let worstExcessM = 0, worstRelative = 0;
    const out = emptyNearest();
    for (let i = 0; i < 120; i++) {
      const lat = (Math.asin(2 * random() - 1) * 180) / Math.PI, lon = random() * 360 - 180;
      set.chordIndex.nearest(makeProbe(lat, lon), out);
      const truth = exhaustive(lat, lon);
      if (truth < 50_000) continue;
      const excess = out.distanceM - truth;
      assert.ok(excess > -1e-6, `never nearer than the truth: ${out.distanceM} < ${truth} at ${lat},${lon}`);
      worstExcessM = Math.max(worstExcessM, excess);
      worstRelative = Math.max(worstRelative, excess / truth);
    }
    // Measured on this sample: the far search found the same nearest point every time (excess below 1 mm).
    assert.ok(worstExcessM < 0.001, `far search exceeds the exhaustive one by up to ${worstExcessM} m`);
    assert.ok(worstRelative < 1e-9);
  });

  it('classify hands over between the proven search and the far one without a seam: 30–500 km from the line', () => {
    const random = seeded(2718);
    for (let i = 0; i < 60; i++) {
      const v = Math.floor(random() * set.lonDeg.length);
      const p = direct(set.latDeg[v], set.lonDeg[v], random() * 360, 30_000 + random() * 470_000);
      const d = classify(p, layers);
      const truth = exhaustive(p.lat, p.lon);
      assert.ok(Math.abs(d.boundary.distanceM - truth) < 0.001, `${d.boundary.distanceM} vs ${truth} at ${p.lat},${p.lon}`);
    }
  });
});
