// The sending side's filter as a pure function: for random policies and random tracks, nothing the
// policy withholds is in its output, and nothing it allows is left out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import geodesicLib from 'geographiclib-geodesic';
import type { Determination } from '../geo/index.js';
import {
  normalisePolicy, recordsForAlert, recordsForFix, snapToGrid, tagsOf, WITHHELD_TAG, type SharingPolicy,
} from './index.js';
import type { StoredAlert, StoredFix } from '../store/index.js';
import { sharedAlertMessage } from '../answer/index.js';

const geodesic = geodesicLib.Geodesic.WGS84;
const distanceM = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => geodesic.Inverse(a.lat, a.lon, b.lat, b.lon).s12 as number;

function determination(lat: number, lon: number, boundaryM: number, territory: string): Determination {
  return {
    lat, lon, territory, outside: false, accuracyM: 5, accuracyAssumed: false, lineUncertaintyM: 0, uncertaintyM: 5, uncertaintyDominant: 'position',
    confidence: 1, certain: true, fence: null, zone: 'inland',
    boundary: { distanceM: boundaryM, nearest: { lat, lon }, bearingDeg: 180, otherTerritory: territory === 'US' ? 'MX' : 'US', name: 'test', between: ['US', 'MX'] },
  };
}

const UNITS = ['p1', 'p2', 'k9-1', 'k9-2', 'scout'];
const TAGS = [WITHHELD_TAG, 'k9', 'covert'];

const policyArb = fc.record({
  boundary_within_m: fc.integer({ min: 0, max: 5000 }),
  grid_m: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
  delay_s: fc.integer({ min: 0, max: 3600 }),
  alerts: fc.record({ kinds: fc.subarray(['approach', 'crossing', 'proximity', 'emergency', 'emergency-cancelled'] as const), position: fc.boolean() }),
  withhold_tags: fc.subarray(TAGS),
}).map((p) => normalisePolicy(p));

const tagMapArb = fc.dictionary(fc.constantFrom(...UNITS, 'k9-*'), fc.subarray(TAGS), { maxKeys: 4 })
  .map((d) => new Map(Object.entries(d)));

const fixArb = fc.record({
  unit: fc.constantFrom(...UNITS),
  time: fc.integer({ min: 1.7e12, max: 1.7e12 + 86_400_000 }),
  receivedLagMs: fc.integer({ min: -600_000, max: 600_000 }),
  lat: fc.double({ min: 31.0, max: 32.5, noNaN: true }),
  lon: fc.double({ min: -108.5, max: -106.0, noNaN: true }),
  boundaryM: fc.double({ min: 0, max: 10_000, noNaN: true }),
  territory: fc.constantFrom('US', 'MX'),
  late: fc.boolean(),
  accuracyM: fc.option(fc.double({ min: 0.5, max: 100, noNaN: true }), { nil: undefined }),
});

type FixInput = { unit: string; time: number; receivedLagMs: number; lat: number; lon: number; boundaryM: number; territory: string; late: boolean; accuracyM?: number };

function storedFix(f: FixInput, id: number): StoredFix {
  const fix: StoredFix = {
    unit: f.unit, time: f.time, lat: f.lat, lon: f.lon, source: 'json', id, seq: id, receivedMs: f.time + f.receivedLagMs, late: f.late,
    determination: determination(f.lat, f.lon, f.boundaryM, f.territory),
  };
  if (f.accuracyM !== undefined) fix.accuracyM = f.accuracyM;
  return fix;
}

const withheld = (policy: SharingPolicy, tags: Map<string, string[]>, unit: string) => tagsOf(tags, unit).some((t) => policy.withholdTags.includes(t));

describe('the sharing policy, applied on the sending side', () => {
  it('never lets out a withheld unit, a position beyond the distance, an exact position under a grid, or anything before its delay', () => {
    fc.assert(fc.property(policyArb, tagMapArb, fc.array(fixArb, { maxLength: 40 }), (policy, tags, fixes) => {
      const shared = new Set<string>();
      fixes.forEach((f, i) => {
        const fix = storedFix(f, i + 1);
        const out = recordsForFix(policy, tagsOf(tags, fix.unit), fix, shared);
        const hidden = withheld(policy, tags, fix.unit);
        const inside = fix.determination.boundary.distanceM <= policy.boundaryWithinM;
        if (hidden) assert.equal(out.length, 0, 'a withheld unit produced a record');
        for (const { record, dueMs } of out) {
          assert.ok(dueMs >= Math.max(fix.time, fix.receivedMs) + policy.delayS * 1000, 'released before its delay');
          assert.ok((record.kind === 'position' || record.kind === 'leave') && record.unit === fix.unit, 'a record about another unit');
          if (record.kind === 'leave') {
            assert.ok(!inside, 'a leave for a unit still within the distance');
            continue;
          }
          assert.equal(record.kind, 'position');
          if (record.kind !== 'position') continue;
          assert.ok(inside, `position shared at ${fix.determination.boundary.distanceM} m, beyond ${policy.boundaryWithinM} m`);
          assert.ok(distanceM(record, fix) <= record.precision_m + 1e-6, 'the true position is outside the stated precision');
          if (policy.gridM === null) assert.deepEqual([record.lat, record.lon, record.precision_m], [fix.lat, fix.lon, 0]);
          else assert.deepEqual({ lat: record.lat, lon: record.lon }, (({ lat, lon }) => ({ lat, lon }))(snapToGrid(fix.lat, fix.lon, policy.gridM)));
        }
        // Nothing allowed is held back: every fix of a shared unit within the distance goes out.
        if (!hidden && inside) assert.equal(out.filter((o) => o.record.kind === 'position').length, 1);
      });
    }), { seed: 20_251_126, numRuns: 300 });
  });

  it('shares alerts only of the chosen kinds, never about a withheld unit, with a position only when the policy says so', () => {
    const kinds = ['approach', 'crossing', 'proximity', 'entered-strip', 'stale', 'emergency', 'emergency-cancelled'] as const;
    const alertArb = fc.record({ fix: fixArb, kind: fc.constantFrom(...kinds), other: fc.option(fc.constantFrom(...UNITS), { nil: undefined }), partner: fc.option(fc.constantFrom('MX', 'GT'), { nil: undefined }) });
    fc.assert(fc.property(policyArb, tagMapArb, fc.array(alertArb, { maxLength: 20 }), (policy, tags, alerts) => {
      alerts.forEach((a, i) => {
        const f = storedFix(a.fix, i + 1);
        const alert: StoredAlert & { partner?: string; partnerUnit?: string } = {
          kind: a.kind, unit: f.unit, time: f.time, determination: f.determination, id: i + 1, seq: i + 1, receivedMs: f.receivedMs,
        };
        if (a.partner) Object.assign(alert, { partner: a.partner, partnerUnit: 'their-unit', otherUnit: `their-unit@${a.partner}` });
        else if (a.other) alert.otherUnit = a.other;
        const out = recordsForAlert(policy, (u) => tagsOf(tags, u), alert, 'MX');
        for (const { record, dueMs } of out) {
          assert.equal(record.kind, 'alert');
          if (record.kind !== 'alert') continue;
          assert.ok((policy.alerts.kinds as string[]).includes(a.kind), `shared a ${a.kind} alert`);
          assert.ok(!withheld(policy, tags, alert.unit), 'an alert about a withheld unit');
          if (!a.partner && a.other) assert.ok(!withheld(policy, tags, a.other), 'an alert naming a withheld unit');
          assert.ok(a.partner === undefined || a.partner === 'MX', 'an alert about one partner\'s unit went to another partner');
          assert.equal(record.position !== undefined, policy.alerts.position);
          if (record.position) assert.ok(distanceM(record.position, f) <= record.position.precision_m + 1e-6);
          assert.ok(f.determination.boundary.distanceM <= policy.boundaryWithinM);
          assert.ok(dueMs >= Math.max(f.time, f.receivedMs) + policy.delayS * 1000);
        }
      });
    }), { seed: 7, numRuns: 300 });
  });

  it("a unit's emergency is shared only when the policy names the kind, with the device's name for it, and said in both languages", () => {
    const f = storedFix({ unit: 'p1', time: 1.7e12, receivedLagMs: 0, lat: 31.8, lon: -107.8, boundaryM: 400, territory: 'US', late: false }, 1);
    const alert: StoredAlert = { kind: 'emergency', unit: 'p1', time: f.time, determination: f.determination, emergency: '911 Alert', id: 1, seq: 1, receivedMs: f.receivedMs };
    assert.deepEqual(recordsForAlert(normalisePolicy({ alerts: { kinds: ['crossing'] } }), () => [], alert, 'MX'), []);
    const [{ record }] = recordsForAlert(normalisePolicy({ alerts: { kinds: ['emergency'] } }), () => [], alert, 'MX');
    assert.deepEqual(record, { kind: 'alert', alert_kind: 'emergency', unit: 'p1', time_ms: f.time, territory: 'US', emergency: '911 Alert' });
    if (record.kind !== 'alert') return;
    assert.equal(sharedAlertMessage('CBP', record, 'en'), 'CBP reports: its unit p1 declared an EMERGENCY ("911 Alert"), in United States.');
    assert.equal(sharedAlertMessage('CBP', record, 'es'), 'CBP informa: su unidad p1 declaró una EMERGENCIA ("911 Alert"), en Estados Unidos.');
  });

  it('a unit that moves beyond the distance is withdrawn once, and shared again when it comes back', () => {
    const policy = normalisePolicy({ boundary_within_m: 1000 });
    const shared = new Set<string>();
    const at = (boundaryM: number, t: number) => storedFix({ unit: 'p1', time: t, receivedLagMs: 0, lat: 31.8, lon: -107.8, boundaryM, territory: 'US', late: false }, t);
    const kinds = [500, 1500, 1600, 800].map((m, i) => recordsForFix(policy, [], at(m, 1.7e12 + i * 1000), shared).map((o) => o.record.kind));
    assert.deepEqual(kinds, [['position'], ['leave'], [], ['position']]);
  });

  it('two positions in the same grid cell are shared as the same point', () => {
    const a = snapToGrid(31.7801, -106.4001, 500);
    const b = snapToGrid(31.7802, -106.4002, 500);
    assert.deepEqual(a, b);
    assert.ok(a.precisionM >= 353 && a.precisionM <= 360, `half-diagonal of a 500 m cell: ${a.precisionM}`);
  });

  it('every point of random cells of random sizes lies within the cell precision of the shared centre', () => {
    fc.assert(fc.property(fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: -179.9, max: 179.9, noNaN: true }), fc.integer({ min: 1, max: 20_000 }), (lat, lon, gridM) => {
      const c = snapToGrid(lat, lon, gridM);
      assert.ok(distanceM({ lat, lon }, c) <= c.precisionM, `${lat},${lon} grid ${gridM}`);
      assert.ok(c.precisionM <= gridM * 0.72 + 1, 'the cell is about grid × grid');
    }), { seed: 3, numRuns: 500 });
  });
});
