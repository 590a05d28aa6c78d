import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../../test/helpers/geodesic-oracle.js';
import { classify } from '../geo/index.js';
import type { Fix } from '../model/index.js';
import geodesicLib from 'geographiclib-geodesic';
import { ProximityRules } from './proximity.js';
import { rearmMarginM, resolveRuleOptions } from './options.js';
import { boundedGaussian, fixAt, parallelLayers, T0 } from '../../test/helpers/track-support.js';
import type { Alert } from '../model/index.js';

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

/** The rule as stated, checking every pair on every fix: what the indexed rule must agree with. */
function everyPair(fixes: Fix[]): string[] {
  const options = resolveRuleOptions();
  const latest = new Map<string, { fix: Fix; d: ReturnType<typeof classify> }>();
  const open = new Set<string>();
  const out: string[] = [];
  for (const fix of fixes) {
    const d = classify(fix, layers);
    const previous = latest.get(fix.unit);
    if (previous && fix.time < previous.fix.time) continue;
    latest.set(fix.unit, { fix, d });
    for (const [unit, other] of latest) {
      if (unit === fix.unit || Math.abs(other.fix.time - fix.time) > options.staleAfterMs) continue;
      const key = [unit, fix.unit].sort().join('|');
      const marginM = rearmMarginM(options, Math.hypot(d.accuracyM, other.d.accuracyM));
      const distanceM = geodesicLib.Geodesic.WGS84.Inverse(fix.lat, fix.lon, other.fix.lat, other.fix.lon).s12!;
      const nearestM = Math.min(d.boundary.distanceM, other.d.boundary.distanceM);
      if (open.has(key)) {
        if (distanceM > options.proximityM + marginM || nearestM > options.warningDistanceM + marginM) open.delete(key);
      } else if (distanceM < options.proximityM && nearestM < options.warningDistanceM) {
        open.add(key);
        out.push(`${fix.unit}~${unit}@${fix.time}`);
      }
    }
  }
  return out;
}

it('on 40 units wandering near and far from the line, alerts are exactly those of checking every pair', () => {
  const rnd = seeded(7);
  const units = Array.from({ length: 40 }, (_, u) => ({ unit: `u${u}`, northM: (rnd() - 0.3) * 4000, eastM: rnd() * 6000 }));
  const fixes: Fix[] = [];
  for (let step = 0; step < 150; step++) {
    for (const u of units) {
      u.northM += (rnd() - 0.5) * 400;
      u.eastM += (rnd() - 0.5) * 400;
      fixes.push(fixAt(u.unit, T0 + step * 30_000 + Number(u.unit.slice(1)), u.northM, u.eastM, 5 + rnd() * 20));
    }
  }
  const expected = everyPair(fixes);
  const actual = feed(new ProximityRules(), fixes).map((a) => `${a.unit}~${a.otherUnit}@${a.time}`);
  assert.ok(expected.length > 20, `the walk makes encounters (${expected.length})`);
  assert.deepEqual([...actual].sort(), [...expected].sort());
});
