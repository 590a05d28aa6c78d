import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSet } from './line-set.js';
import { emptyNearest, nearestPoint } from './nearest.js';
import { SegmentGrid } from './segment-grid.js';
import { seeded as seededRandom } from '../../test/helpers/geodesic-oracle.js';

/** A winding line of short and a few long segments, like a river boundary with straight land stretches. */
function windingLine(rnd: () => number): [number, number][] {
  const coords: [number, number][] = [[-106.5, 31.7]];
  for (let i = 0; i < 600; i++) {
    const [lon, lat] = coords[coords.length - 1];
    const step = rnd() < 0.02 ? 0.3 : 0.002 + rnd() * 0.004;
    const angle = Math.sin(i / 9) * 1.4 + (rnd() - 0.5);
    coords.push([lon + step * Math.cos(angle), lat + step * Math.sin(angle)]);
  }
  return coords;
}

test('every point of a segment lies in a grid cell that lists the segment', () => {
  const rnd = seededRandom(7);
  const set = new LineSet([{ name: 'b', coordinates: windingLine(rnd), left: 'US', right: 'MX', edges: 'lonlat' }]);
  const grid = new SegmentGrid(set.lonDeg, set.latDeg, set.segStart);
  for (let s = 0; s < set.segmentCount; s++) {
    const a = set.segStart[s];
    for (const t of [0, 1, rnd(), rnd(), rnd()]) {
      const lon = set.lonDeg[a] + t * (set.lonDeg[a + 1] - set.lonDeg[a]);
      const lat = set.latDeg[a] + t * (set.latDeg[a + 1] - set.latDeg[a]);
      const slot = grid.slotOf(grid.cellOf(lon, lat));
      assert.ok(slot >= 0, `segment ${s} at t=${t}: no cell`);
      const listed = Array.from(grid.items.subarray(grid.start(slot), grid.start(slot) + grid.count(slot)));
      assert.ok(listed.includes(s), `segment ${s} at t=${t} is not listed in its cell`);
    }
  }
});

test('the nearest point found through the grid is the nearest of all segments, checked one by one', () => {
  const rnd = seededRandom(11);
  const set = new LineSet([{ name: 'b', coordinates: windingLine(rnd), left: 'US', right: 'MX', edges: 'lonlat' }]);
  const singles = Array.from(set.segStart, (v) => new LineSet([{
    name: 'b', coordinates: [[set.lonDeg[v], set.latDeg[v]], [set.lonDeg[v + 1], set.latDeg[v + 1]]], left: 'US', right: 'MX', edges: 'lonlat',
  }]));
  const hit = emptyNearest(), single = emptyNearest();
  for (let i = 0; i < 1500; i++) {
    // Near the line (1 mm … 3 km from a random point of it), where the grid answers most queries.
    const s = Math.floor(rnd() * set.segmentCount), a = set.segStart[s], t = rnd();
    const d = 10 ** (-8 + rnd() * 6.5);
    const lat = set.latDeg[a] + t * (set.latDeg[a + 1] - set.latDeg[a]) + (rnd() - 0.5) * d;
    const lon = set.lonDeg[a] + t * (set.lonDeg[a + 1] - set.lonDeg[a]) + (rnd() - 0.5) * d;
    assert.ok(nearestPoint(set, lat, lon, hit));
    let best = Infinity;
    for (const seg of singles) {
      nearestPoint(seg, lat, lon, single);
      best = Math.min(best, single.distanceM);
    }
    assert.ok(Math.abs(hit.distanceM - best) < 1e-9, `query ${i}: ${hit.distanceM} m through the index, ${best} m checking every segment`);
  }
  assert.ok(set.grid !== null, 'the grid was in use');
});
