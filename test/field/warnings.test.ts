// The field app's warnings, fed real determinations near Clint: the track rules' hysteresis, one warning
// per real event.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify, type Layers } from '../../src/geo/index.js';
import { seeded } from '../helpers/geodesic-oracle.js';
import { FieldWarnings, type FieldWarningKind } from '../../web/field/src/warnings/field-warnings.js';
import { defaultLayers } from './fixtures.js';
import { nearClint } from './places.js';

const plain = defaultLayers();
const fenced = defaultLayers(true);

/** Walks the phone through signed distances from the river near Clint (north positive), one fix a second. */
function walk(metres: number[], options: { accuracyM?: number; warningDistanceM?: number; layers?: Layers } = {}): FieldWarningKind[] {
  const warnings = new FieldWarnings({ warningDistanceM: options.warningDistanceM ?? 500 });
  const kinds: FieldWarningKind[] = [];
  metres.forEach((m, i) => {
    const p = nearClint(m);
    const fix = { unit: 'field', time: 1_700_000_000_000 + i * 1000, lat: p.lat, lon: p.lon, accuracyM: options.accuracyM ?? 5, source: 'json' as const };
    const det = classify(fix, options.layers ?? plain);
    kinds.push(...warnings.observe(fix, det).map((w) => w.kind));
  });
  return kinds;
}

const count = (kinds: FieldWarningKind[], kind: FieldWarningKind) => kinds.filter((k) => k === kind).length;

describe('field warnings', () => {
  it('walking from 2 km to 100 m of the line warns once, when it comes within the warning distance', () => {
    assert.deepEqual(walk([2000, 1500, 1000, 700, 499, 300, 100]), ['approach']);
  });

  it('GPS jitter around the warning distance warns once, not per fix', () => {
    const random = seeded(9);
    const metres = Array.from({ length: 200 }, () => 500 + (random() - 0.5) * 20);
    assert.equal(count(walk([900, ...metres]), 'approach'), 1);
  });

  it('coming back after going beyond the re-arming margin warns again; hovering just outside does not', () => {
    // σ 5 m: re-armed beyond 500 m + max(25, 6σ) = 530 m.
    assert.deepEqual(walk([900, 450, 520, 450, 900, 450]), ['approach', 'approach']);
  });

  it('a settable warning distance moves the warning', () => {
    assert.deepEqual(walk([900, 450, 150], { warningDistanceM: 200 }), ['approach']);
    assert.equal(walk([900, 450], { warningDistanceM: 200 }).length, 0);
  });

  it('crossing the line warns of the side change once, not again when the crossing is confirmed beyond 3σ', () => {
    const kinds = walk([300, 100, 30, -0.3, -5, -40, -200]);
    assert.equal(count(kinds, 'side-change'), 1);
  });

  it('standing on the line with jittering fixes warns of one side change, not one per fix', () => {
    const random = seeded(4);
    const metres = Array.from({ length: 300 }, () => (random() - 0.5) * 6);
    assert.equal(count(walk([200, ...metres]), 'side-change'), 1);
  });

  it('going across and back again is two side changes', () => {
    assert.equal(count(walk([200, -200, 200]), 'side-change'), 2);
  });

  it('an early crossing that was walked back does not silence the next real crossing', () => {
    assert.equal(count(walk([200, -1, 200, -200]), 'side-change'), 2);
  });

  it('the verdict becoming uncertain warns once, however the fixes jitter near the line', () => {
    const random = seeded(7);
    const metres = Array.from({ length: 100 }, () => 3 + (random() - 0.5) * 20);
    assert.equal(count(walk([200, 20, ...metres]), 'uncertain'), 1);
  });

  it('the uncertain warning comes again only after the verdict was certain beyond the re-arming margin', () => {
    // σ 5 m: certain beyond about 13.7 m; re-armed beyond 3σ + max(25, 6σ) = 45 m.
    assert.equal(count(walk([200, 5, 30, 5]), 'uncertain'), 1);
    assert.equal(count(walk([200, 5, 60, 5]), 'uncertain'), 2);
  });

  it('going through a fence into the strip and back out warns once each way', () => {
    const kinds = walk([1000, 400, 60, 40, 60, 400, 1000], { layers: fenced });
    assert.equal(count(kinds, 'entered-strip'), 1);
    assert.equal(count(kinds, 'left-strip'), 1);
  });

  it('a position 60 m north of the river and south of the fence is in the strip', () => {
    const det = classify({ ...nearClint(60), accuracyM: 5 }, fenced);
    assert.equal(det.territory, 'US');
    assert.equal(det.zone, 'strip');
    assert.equal(det.fence?.side, 'boundary');
  });
});
