import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../../test/helpers/geodesic-oracle.js';
import { classify } from '../geo/index.js';
import type { Fix } from '../ingest/fix.js';
import { ProximityRules } from './proximity.js';
import { boundedGaussian, fixAt, parallelLayers, T0 } from './test-support.js';
import type { Alert } from './types.js';

const layers = parallelLayers(false);
const feed = (rules: ProximityRules, fixes: Fix[]): Alert[] => fixes.flatMap((f) => rules.observe(f, classify(f, layers)));

describe('proximity between units near the line', () => {
  it('two units 800 m apart, one 100 m from the line, raise one proximity alert naming both', () => {
    const alerts = feed(new ProximityRules(), [fixAt('A', T0, 100, 0), fixAt('B', T0 + 1000, 100, 800)]);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].kind, 'proximity');
    assert.equal(alerts[0].unit, 'B');
    assert.equal(alerts[0].otherUnit, 'A');
    assert.ok(Math.abs(alerts[0].unitDistanceM! - 800) < 0.5);
  });

  it('jitter around 1 km apart raises one alert per encounter; leaving and meeting again raises a second', () => {
    const rnd = seeded(31);
    const fixes: Fix[] = [];
    for (let i = 0; i < 300; i++) {
      fixes.push(fixAt('A', T0 + i * 10_000, 100, 0));
      fixes.push(fixAt('B', T0 + i * 10_000 + 1, 100, 995 + boundedGaussian(rnd) * 5));
    }
    const rules = new ProximityRules();
    assert.equal(feed(rules, fixes).length, 1);
    const later = T0 + 300 * 10_000;
    assert.equal(feed(rules, [fixAt('B', later, 100, 3000), fixAt('B', later + 60_000, 100, 500)]).length, 1);
  });

  it('units close together far from the line, or a unit long silent, raise nothing', () => {
    assert.deepEqual(feed(new ProximityRules(), [fixAt('A', T0, 2000, 0), fixAt('B', T0, 2000, 300)]), []);
    assert.deepEqual(feed(new ProximityRules(), [fixAt('A', T0, 100, 0), fixAt('B', T0 + 11 * 60_000, 100, 300)]), []);
    const wide = new ProximityRules({ boundaryM: 3000 });
    assert.equal(feed(wide, [fixAt('A', T0, 2000, 0), fixAt('B', T0, 2000, 300)]).length, 1);
  });

  it('a fix older than the unit\'s latest is ignored', () => {
    const rules = new ProximityRules();
    feed(rules, [fixAt('A', T0, 100, 0), fixAt('B', T0, 100, 5000)]);
    assert.deepEqual(feed(rules, [fixAt('B', T0 - 1000, 100, 200)]), []);
  });
});
