import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeatureCollection } from 'geojson';
import { inverse, seeded } from '../../test/helpers/geodesic-oracle.js';
import { buildLayers, classify, lineSetCrossings, segmentCrossings, type Layers } from './index.js';

type Coords = [number, number][];
type Edges = 'lonlat' | 'geodesic';

const PARALLEL_LAT = 31 + 20 / 60;

function lineLayer(coords: Coords, edges: Edges = 'lonlat'): Layers {
  const fc: FeatureCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { name: 'test line', left: 'US', right: 'MX', edges }, geometry: { type: 'LineString', coordinates: coords } }],
  };
  return buildLayers(fc, null, { boundaryFile: 'test' });
}

/** West→east zig-zag between 31.30° and 31.36° every 0.05° of longitude: US on the left (north). */
function zigZag(): Coords {
  const out: Coords = [];
  for (let k = 0; k <= 20; k++) out.push([-107 + k * 0.05, k % 2 === 0 ? 31.3 : 31.36]);
  return out;
}

interface Leg { a: { lat: number; lon: number; time: number }; b: { lat: number; lon: number; time: number } }

/** Seeded track legs from south of lat0 to north of lat1 (or back), 1 to 20 minutes long. */
function legs(seed: number, count: number, lat0: number, lat1: number): Leg[] {
  const rnd = seeded(seed);
  const out: Leg[] = [];
  for (let i = 0; i < count; i++) {
    const south = { lat: lat0 - 0.001 - rnd() * 0.05, lon: -106.95 + rnd() * 0.9 };
    const north = { lat: lat1 + 0.001 + rnd() * 0.05, lon: south.lon + (rnd() - 0.5) * 0.08 };
    const t0 = Date.UTC(2024, 4, 1) + Math.floor(rnd() * 86_400_000);
    const t1 = t0 + 60_000 + Math.floor(rnd() * 1_140_000);
    const [a, b] = rnd() < 0.5 ? [south, north] : [north, south];
    out.push({ a: { ...a, time: t0 }, b: { ...b, time: t1 } });
  }
  return out;
}

const timeAt = (leg: Leg, s: number) => leg.a.time + s * (leg.b.time - leg.a.time);
const pointAt = (leg: Leg, s: number) => ({ lat: leg.a.lat + s * (leg.b.lat - leg.a.lat), lon: leg.a.lon + s * (leg.b.lon - leg.a.lon) });
const metresBetween = (p: { lat: number; lon: number }, q: { lat: number; lon: number }) => inverse(p.lat, p.lon, q.lat, q.lon).s12 as number;

/**
 * Independent answer: where along the leg classify() (nearest point and side sector, not line intersection)
 * changes its territory. Brackets by sampling every ~15 m, then bisects to 1e-13 of the leg.
 */
function classifyChanges(layers: Layers, leg: Leg): { s: number; from: string; to: string }[] {
  const side = (s: number) => classify(pointAt(leg, s), layers).territory ?? 'outside';
  const out: { s: number; from: string; to: string }[] = [];
  const steps = 1500;
  let prev = side(0);
  for (let i = 1; i <= steps; i++) {
    const here = side(i / steps);
    if (here === prev) continue;
    let lo = (i - 1) / steps, hi = i / steps;
    while (hi - lo > 1e-13) {
      const mid = (lo + hi) / 2;
      if (side(mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push({ s: (lo + hi) / 2, from: prev, to: here });
    prev = here;
  }
  return out;
}

function checkAgainstClassify(layers: Layers, legList: Leg[]): number {
  let checked = 0;
  for (const leg of legList) {
    const expected = classifyChanges(layers, leg);
    const got = segmentCrossings(layers, leg.a, leg.b);
    assert.deepEqual(got.map((c) => `${c.from}>${c.to}`), expected.map((c) => `${c.from}>${c.to}`), `leg ${JSON.stringify(leg)}`);
    got.forEach((c, i) => {
      const want = expected[i];
      assert.ok(metresBetween(c, pointAt(leg, want.s)) < 0.01, `place off by ${metresBetween(c, pointAt(leg, want.s))} m`);
      assert.ok(Math.abs(timeAt(leg, c.s) - timeAt(leg, want.s)) < 1, 'time off by 1 ms or more');
      checked++;
    });
  }
  return checked;
}

describe('where a track segment meets the boundary', () => {
  it('a leg across the 31°20′N parallel crosses where its latitude reaches 31°20′, to the centimetre and millisecond', () => {
    const layers = lineLayer([[-107, PARALLEL_LAT], [-105, PARALLEL_LAT]]);
    for (const leg of legs(11, 300, PARALLEL_LAT, PARALLEL_LAT)) {
      const got = segmentCrossings(layers, leg.a, leg.b);
      assert.equal(got.length, 1);
      // Closed form: the leg is straight in lon/lat, so the crossing is at the fraction of its latitude change.
      const s = (PARALLEL_LAT - leg.a.lat) / (leg.b.lat - leg.a.lat);
      assert.ok(metresBetween(got[0], pointAt(leg, s)) < 0.01);
      assert.ok(Math.abs(got[0].lat - PARALLEL_LAT) < 1e-9);
      assert.ok(Math.abs(timeAt(leg, got[0].s) - timeAt(leg, s)) < 1);
      const northbound = leg.b.lat > leg.a.lat;
      assert.deepEqual([got[0].from, got[0].to], northbound ? ['MX', 'US'] : ['US', 'MX']);
    }
  });

  it('legs across a zig-zag line cross where classify changes its verdict, to the centimetre and millisecond', () => {
    const layers = lineLayer(zigZag());
    const checked = checkAgainstClassify(layers, legs(12, 80, 31.3, 31.36));
    assert.ok(checked >= 80, `only ${checked} crossings checked`);
  });

  it('legs across a zig-zag of geodesic edges cross where classify changes its verdict', () => {
    const layers = lineLayer(zigZag(), 'geodesic');
    const checked = checkAgainstClassify(layers, legs(13, 15, 31.3, 31.36));
    assert.ok(checked >= 15);
  });

  it('a leg that stays on one side, or runs along the line, does not cross', () => {
    const layers = lineLayer([[-107, PARALLEL_LAT], [-105, PARALLEL_LAT]]);
    assert.deepEqual(segmentCrossings(layers, { lat: 31.4, lon: -106.5 }, { lat: 31.34, lon: -106.4 }), []);
    assert.deepEqual(segmentCrossings(layers, { lat: PARALLEL_LAT, lon: -106.5 }, { lat: PARALLEL_LAT, lon: -106.4 }), []);
    assert.deepEqual(segmentCrossings(layers, { lat: 31.2, lon: -106.5 }, { lat: 31.2, lon: -106.5 }), []);
  });

  it('a leg that starts or ends exactly on the line is counted once over the two legs', () => {
    const layers = lineLayer([[-107, 31.5], [-105, 31.5]]);
    const onLine = { lat: 31.5, lon: -106 };
    const first = segmentCrossings(layers, { lat: 31.6, lon: -106 }, onLine);
    const second = segmentCrossings(layers, onLine, { lat: 31.4, lon: -106 });
    assert.equal(first.length + second.length, 1);
    const back = segmentCrossings(layers, onLine, { lat: 31.6, lon: -106.1 });
    assert.equal(first.length + back.length, first.length === 1 ? 2 : 0, 'out and back to the same side: an even count');
  });

  it('a leg through a vertex of the line crosses once, and one touching the tip of a spike does not cross', () => {
    const vee = lineLayer([[-107, 31], [-106, 31.5], [-105, 31]]);
    const through = segmentCrossings(vee, { lat: 31.6, lon: -106 }, { lat: 31.4, lon: -106 });
    assert.deepEqual(through.map((c) => [c.from, c.to]), [['US', 'MX']]);
    assert.ok(Math.abs(through[0].s - 0.5) < 1e-12);
    // Horizontal leg through the tip: the line stays below it on both sides.
    assert.deepEqual(segmentCrossings(vee, { lat: 31.5, lon: -106.2 }, { lat: 31.5, lon: -105.8 }), []);
  });

  it('a long leg over a zig-zag lists every crossing in order along the leg', () => {
    const layers = lineLayer(zigZag());
    const leg = { a: { lat: 31.33, lon: -106.99 }, b: { lat: 31.33, lon: -106.01 } };
    const got = segmentCrossings(layers, leg.a, leg.b);
    assert.equal(got.length, 20);
    for (let i = 1; i < got.length; i++) {
      assert.ok(got[i].s > got[i - 1].s);
      assert.equal(got[i].from, got[i - 1].to, 'sides chain from one crossing to the next');
    }
  });

  it('fence lines are crossed with their own L/R labels', () => {
    const fences = buildLayers(
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'US', right: 'MX' }, geometry: { type: 'LineString', coordinates: [[-107, 31.32], [-105, 31.32]] } }] },
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'fence' }, geometry: { type: 'LineString', coordinates: [[-107, 31.33], [-105, 31.33]] } }] },
    ).fences!;
    const got = lineSetCrossings(fences, { lat: 31.34, lon: -106 }, { lat: 31.325, lon: -106 });
    assert.deepEqual(got.map((c) => [c.from, c.to]), [['L', 'R']]);
  });
});
