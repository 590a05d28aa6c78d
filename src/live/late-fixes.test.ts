import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildLayers, classify, type Determination } from '../geo/index.js';
import type { Fix } from '../ingest/index.js';
import { openSqliteStore, type Store, type StoredFix } from '../store/index.js';
import type { Alert } from '../model/index.js';
import { AlertRules } from './late-fixes.js';
import type { RuleInput, RulesEngine, UnitRulesLike } from '../rules/index.js';

const layers = buildLayers(JSON.parse(readFileSync(new URL('../../test/fixtures/layers/boundary-lines.geojson', import.meta.url), 'utf8')));
const dir = mkdtempSync(join(tmpdir(), 'lindero-alert-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Minimal rules with state: approach on entering 500 m, crossing on a change of territory. */
class ToyRules implements UnitRulesLike {
  private territory: string | null = null;
  private near = false;
  constructor(private readonly unit: string) {}
  observe(fix: Fix, d: Determination): Alert[] {
    const out: Alert[] = [];
    const near = d.boundary.distanceM < 500;
    if (near && !this.near) out.push({ kind: 'approach', unit: this.unit, time: fix.time, determination: d });
    if (this.territory !== null && d.territory !== this.territory) {
      out.push({ kind: 'crossing', unit: this.unit, time: fix.time, determination: d, from: this.territory, to: d.territory ?? undefined, confirmed: true });
    }
    this.near = near;
    this.territory = d.territory;
    return out;
  }
  tick(): Alert[] {
    return [];
  }
  emergencyWithoutPosition(): void {}
}

const engine: RulesEngine = {
  unitRules: (unit) => new ToyRules(unit),
  replay: (unit, items: RuleInput[]) => {
    const rules = new ToyRules(unit);
    return items.flatMap((i) => rules.observe(i.fix, i.determination));
  },
  proximity: null,
};

const T0 = Date.UTC(2025, 2, 1, 12, 0, 0);
/** A walk south across the parallel 31°47′ N at lon -107: 1 km north, 300 m north, 100 m north, 100 m south, 300 m south. */
const WALK = [0.009, 0.0027, 0.0009, -0.0009, -0.0027].map((dLat, k) => ({ unit: 'p1', time: T0 + k * 60_000, lat: 31.783333 + dLat, lon: -107, source: 'json' as const }));

async function append(store: Store, fixes: Fix[]): Promise<StoredFix[]> {
  const items = fixes.map((fix) => ({ fix, determination: classify(fix, layers) }));
  const results = await store.appendFixes(items);
  return results.map((r, k) => ({ ...items[k].fix, id: r.id, seq: r.seq, receivedMs: 0, late: r.late, determination: items[k].determination }));
}

const summary = (alerts: Alert[]) => alerts.map((a) => `${a.kind}@${(a.time - T0) / 60_000}${a.late ? ' late' : ''}`);

test('fixes in device-time order raise their alerts as they arrive', async () => {
  const store = await openSqliteStore(join(dir, 'in-order.db'));
  const rules = new AlertRules(engine, store);
  const raised: Alert[] = [];
  for (const fix of WALK) raised.push(...(await rules.evaluate('p1', await append(store, [fix]))));
  assert.deepEqual(summary(raised), ['approach@1', 'crossing@3']);
  await store.close();
});

test('a late fix that reveals an earlier crossing raises it once, marked late', async () => {
  const store = await openSqliteStore(join(dir, 'late.db'));
  const rules = new AlertRules(engine, store);
  const raised: Alert[] = [];
  // The fix 100 m south (minute 3) is held up; the walk goes on to 300 m south; then it arrives.
  for (const k of [0, 1, 2, 4, 3]) raised.push(...(await rules.evaluate('p1', await append(store, [WALK[k]]))));
  // Live, the crossing is seen at minute 4; the late fix moves it to minute 3, the same event: not repeated.
  assert.deepEqual(summary(raised), ['approach@1', 'crossing@4']);
  await store.close();
});

test('a late fix that reveals a crossing nobody saw raises it, marked late', async () => {
  const store = await openSqliteStore(join(dir, 'unseen.db'));
  const rules = new AlertRules(engine, store);
  const back = { ...WALK[1], time: T0 + 5 * 60_000 };
  const raised: Alert[] = [];
  // North, north, then north again two minutes later: nothing. Then the fix from minute 4 (300 m south) arrives.
  for (const fix of [WALK[0], WALK[1], back, WALK[4]]) raised.push(...(await rules.evaluate('p1', await append(store, [fix]))));
  assert.deepEqual(summary(raised), ['approach@1', 'crossing@4 late', 'crossing@5 late']);
  // The same fix sent again is a duplicate; nothing is raised twice.
  await append(store, [WALK[4]]);
  assert.deepEqual(await rules.evaluate('p1', []), []);
  await store.close();
});

test('fixes of one batch are taken in device-time order whatever order they came in', async () => {
  const store = await openSqliteStore(join(dir, 'batch.db'));
  const rules = new AlertRules(engine, store);
  const raised = await rules.evaluate('p1', await append(store, [WALK[3], WALK[0], WALK[4], WALK[2], WALK[1]]));
  assert.deepEqual(summary(raised), ['approach@1', 'crossing@3']);
  await store.close();
});

test('after a restart the rules go on from the stored fixes instead of raising again', async () => {
  const file = join(dir, 'restart.db');
  const first = await openSqliteStore(file);
  const before = new AlertRules(engine, first);
  const raised = await before.evaluate('p1', await append(first, WALK.slice(0, 3)));
  for (const a of raised) await first.appendAlert(a);
  await first.close();
  const second = await openSqliteStore(file);
  const afterRestart = new AlertRules(engine, second);
  assert.deepEqual(summary(await afterRestart.evaluate('p1', await append(second, [WALK[3]]))), ['crossing@3']);
  await second.close();
});

test('a unit first seen while its next batches are already committed takes them in order, not as late fixes', async () => {
  const store = await openSqliteStore(join(dir, 'behind.db'));
  const rules = new AlertRules(engine, store);
  // The rules run behind the commits: both batches are stored before the first is evaluated.
  const first = await append(store, WALK.slice(0, 3));
  const second = await append(store, WALK.slice(3));
  const raised = [...(await rules.evaluate('p1', first)), ...(await rules.evaluate('p1', second))];
  assert.deepEqual(summary(raised), ['approach@1', 'crossing@3']);
  await store.close();
});

test('a unit the store did not hold at start is evaluated without reading its history back', async () => {
  const file = join(dir, 'known.db');
  const first = await openSqliteStore(file);
  await append(first, WALK.slice(0, 3));
  await first.close();
  const store = await openSqliteStore(file);
  let reads = 0;
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (name === 'track' || name === 'latestFixBefore' || name === 'alerts') reads += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const rules = new AlertRules(engine, counted);
  rules.knowStoredUnits((await store.units()).map((u) => u.unit));
  const newcomer = WALK.map((f) => ({ ...f, unit: 'p2' }));
  const raised = [...(await rules.evaluate('p2', await append(store, newcomer.slice(0, 2)))), ...(await rules.evaluate('p2', await append(store, newcomer.slice(2))))];
  assert.deepEqual(summary(raised), ['approach@1', 'crossing@3']);
  assert.equal(reads, 0);
  // A unit stored before the start is still brought up to date from the store: no second approach.
  assert.deepEqual(summary(await rules.evaluate('p1', await append(store, WALK.slice(3)))), ['crossing@3']);
  assert.ok(reads > 0);
  await store.close();
});
