// Units' live rules on two nodes sharing a real PostgreSQL store, in one process: each node its own store
// connection, pipeline and rules. Whichever node a fix arrives at, the node holding the unit's bucket
// evaluates it in the unit's order: each crossing is raised once, also when the holder stops mid-walk.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { postgresMissing, startPgCluster, type PgCluster } from '../../test/helpers/postgres.js';
import { cutOffWhile, wrappedStore, type StoreWrap } from '../../test/helpers/store-fixtures.js';
import { fixAt, parallelLayers, T0 } from '../../test/helpers/track-support.js';
import { LinderoError } from '../model/index.js';
import { trackRulesEngine } from '../rules/index.js';
import { openPgStore, RULE_BUCKETS, unitBucket, type PgStore, type UnitLeases } from '../store/index.js';
import { EventHub, type ServerEvent } from './events.js';
import { AlertRules } from './late-fixes.js';
import { Pipeline } from './pipeline.js';

const layers = parallelLayers(false);

interface Node {
  store: PgStore;
  pipeline: Pipeline;
  events: ServerEvent[];
  errors: string[];
}

/** A node: its own store connection, pipeline and rules; `wrap` stands between the node and its store. */
async function startNode(url: string, staleAfterMs?: number, wrap?: StoreWrap<PgStore>): Promise<Node> {
  const store = await openPgStore(url);
  const rulesStore = wrap ? wrappedStore(store, wrap) : store;
  const hub = new EventHub();
  const events: ServerEvent[] = [];
  hub.subscribe((e) => events.push(e));
  const errors: string[] = [];
  const pipeline = new Pipeline({
    store: rulesStore, layers, hub, rules: new AlertRules(trackRulesEngine(staleAfterMs === undefined ? undefined : { staleAfterMs }), rulesStore), log: { error: (_f, m) => errors.push(m) }, sharedStore: true,
  });
  await pipeline.start();
  await store.onOtherWrites((events) => pipeline.publishStoredElsewhere(events));
  return { store, pipeline, events, errors };
}

async function stopNode(node: Node): Promise<void> {
  await node.pipeline.stop();
  await node.store.close();
}

/** Waits until the store holds `count` crossings of the unit. */
async function crossingsOf(store: PgStore, unit: string, count: number): Promise<{ time: number }[]> {
  const started = Date.now();
  for (;;) {
    const found = (await store.alerts({ unit, kinds: ['crossing'], limit: 10_000 })).filter((a) => a.confirmed);
    if (found.length >= count || Date.now() - started > 20_000) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fix k of a walk back and forth across the line, 300 m each side. */
const walk = (unit: string, k: number) => fixAt(unit, T0 + k * 10_000, k % 2 === 0 ? 300 : -300);

describe('units\' live rules on two nodes', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  test('two nodes share the buckets, and a unit whose fixes alternate between them has each crossing raised once, by its holder', async () => {
    const url = await cluster.createDatabase();
    const a = await startNode(url);
    const b = await startNode(url);
    try {
      const until = Date.now() + 10_000;
      while (a.pipeline.leased!.owned.size + b.pipeline.leased!.owned.size !== RULE_BUCKETS || b.pipeline.leased!.owned.size === 0) {
        assert.ok(Date.now() < until, 'the buckets are shared within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const units = ['walker-1', 'walker-2', 'walker-3', 'walker-4'];
      for (let k = 0; k < 12; k++) {
        for (const unit of units) await (k % 2 === 0 ? a : b).pipeline.ingest([walk(unit, k)]);
      }
      for (const unit of units) {
        const crossings = await crossingsOf(a.store, unit, 11);
        assert.deepEqual(crossings.map((c) => (c.time - T0) / 10_000), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], `${unit}: each crossing once, in order`);
        const holder = a.pipeline.leased!.owned.has(unitBucket(unit)) ? a : b;
        const other = holder === a ? b : a;
        const raisedBy = (node: Node) => node.events.filter((e) => e.type === 'alert' && e.alert.unit === unit && e.alert.kind === 'crossing').length;
        // The holder stored and published them (its publish follows its commit, which a read elsewhere may see
        // first); the other heard them from the store (NOTIFY, a moment later).
        const publishedBy = Date.now() + 5000;
        while (raisedBy(holder) < 11 && Date.now() < publishedBy) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(raisedBy(holder), 11);
        const heardBy = Date.now() + 5000;
        while (raisedBy(other) < 11 && Date.now() < heardBy) await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(raisedBy(other), 11);
      }
      assert.deepEqual([...a.errors, ...b.errors], []);
    } finally {
      await stopNode(a);
      await stopNode(b);
    }
  });

  test('when the holder stops mid-walk, the other node takes the unit over from the stored watermark: no crossing missed, none twice', async () => {
    const url = await cluster.createDatabase();
    const a = await startNode(url);
    const b = await startNode(url);
    try {
      const until = Date.now() + 10_000;
      while (b.pipeline.leased!.owned.size === 0) {
        assert.ok(Date.now() < until, 'node B gets its share');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // A unit held by node A, reporting to node B.
      const unit = Array.from({ length: 500 }, (_, i) => `runner-${i}`).find((u) => a.pipeline.leased!.owned.has(unitBucket(u)))!;
      for (let k = 0; k < 6; k++) await b.pipeline.ingest([walk(unit, k)]);
      await stopNode(a);
      for (let k = 6; k < 12; k++) await b.pipeline.ingest([walk(unit, k)]);
      const crossings = await crossingsOf(b.store, unit, 11);
      assert.deepEqual(crossings.map((c) => (c.time - T0) / 10_000), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      assert.ok(b.pipeline.leased!.owned.has(unitBucket(unit)), 'node B holds the unit now');
      assert.equal(b.pipeline.leased!.owned.size, RULE_BUCKETS);
      assert.deepEqual(b.errors, []);
    } finally {
      await stopNode(b);
    }
  });

  test('a cancel without a position raised on one node reaches the holder\'s rules: the SOS declared again soon after is a new emergency', async () => {
    const url = await cluster.createDatabase();
    const a = await startNode(url);
    const b = await startNode(url);
    try {
      while (b.pipeline.leased!.owned.size === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      // A unit held by node A, reporting to node B.
      const unit = Array.from({ length: 500 }, (_, i) => `medic-${i}`).find((u) => a.pipeline.leased!.owned.has(unitBucket(u)))!;
      const sos = (k: number) => ({ ...fixAt(unit, T0 + k * 10_000, 5_000), emergency: { state: 'declared' as const, what: '911 Alert' } });
      const emergenciesOf = async (count: number) => {
        const until = Date.now() + 20_000;
        for (;;) {
          const found = (await a.store.alerts({ unit, limit: 100 })).filter((x) => x.kind.startsWith('emergency'));
          if (found.length >= count || Date.now() > until) return found.map((x) => [x.kind, (x.time - T0) / 10_000, x.lastKnownTime !== undefined]);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      await b.pipeline.ingest([sos(0)]);
      await b.pipeline.ingest([sos(1)]);
      assert.deepEqual(await emergenciesOf(1), [['emergency', 0, false]]);
      // ATAK's cancel, at 0,0: raised by node B, which received it, at the last known position.
      await b.pipeline.emergencyWithoutPosition({ unit, time: T0 + 20_000, source: 'cot', emergency: { state: 'cancelled', what: 'Cancel' }, reason: 'point 0,0' });
      // Node A hears it from the store before the next report comes (seconds later, as a person would press again).
      const heardBy = Date.now() + 5000;
      while (!a.events.some((e) => e.type === 'alert' && e.alert.kind === 'emergency-cancelled') && Date.now() < heardBy) await new Promise((resolve) => setTimeout(resolve, 20));
      await b.pipeline.ingest([sos(3)]);
      assert.deepEqual(await emergenciesOf(3), [['emergency', 0, false], ['emergency-cancelled', 2, true], ['emergency', 3, false]]);
      assert.deepEqual([...a.errors, ...b.errors], []);
    } finally {
      await stopNode(a);
      await stopNode(b);
    }
  });

  test('a unit that falls silent while its holder stops has its stale alert raised by the node taking it over, once', async () => {
    const url = await cluster.createDatabase();
    const staleAfterMs = 2000;
    const a = await startNode(url, staleAfterMs);
    const b = await startNode(url, staleAfterMs);
    try {
      while (b.pipeline.leased!.owned.size === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const [early, late] = Array.from({ length: 500 }, (_, i) => `sentry-${i}`).filter((u) => a.pipeline.leased!.owned.has(unitBucket(u)));
      // Both report to node B, 300 m from the line; `early` falls silent two seconds before `late`.
      await b.pipeline.ingest([fixAt(early, Date.now(), 300)]);
      await new Promise((resolve) => setTimeout(resolve, staleAfterMs));
      await b.pipeline.ingest([fixAt(late, Date.now(), 300)]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Node A raises the stale alert of `early`, then stops before that of `late` is due.
      await a.pipeline.settle();
      a.pipeline.tick();
      await stopNode(a);
      const until = Date.now() + 15_000;
      const staleOf = async (unit: string) => (await b.store.alerts({ unit, kinds: ['stale'] })).length;
      while ((await staleOf(late)) === 0 && Date.now() < until) {
        b.pipeline.tick();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      for (let i = 0; i < 5; i++) b.pipeline.tick();
      await b.pipeline.settle();
      assert.deepEqual([await staleOf(early), await staleOf(late)], [1, 1], 'each silence raised one stale alert');
      assert.deepEqual(b.errors, []);
    } finally {
      await stopNode(b);
    }
  });

  test('connections cut mid-walk: the rules go on from the stored watermark, and each crossing is still raised once', async () => {
    const url = await cluster.createDatabase();
    const a = await startNode(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      for (let k = 0; k < 12; k++) {
        if (k === 4 || k === 8) await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        // As a device does: what was not acknowledged is sent again.
        for (let attempt = 0; ; attempt++) {
          try {
            await a.pipeline.ingest([walk('cut-1', k)]);
            break;
          } catch (e) {
            if (attempt > 20) throw e;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }
      const crossings = await crossingsOf(a.store, 'cut-1', 11);
      assert.deepEqual(crossings.map((c) => (c.time - T0) / 10_000), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    } finally {
      await admin.end();
      await stopNode(a);
    }
  });

  test('a unit\'s history cannot be read (the store failing, not its rules): its fixes are evaluated again, not passed over', async () => {
    const url = await cluster.createDatabase();
    const first = await startNode(url);
    let failuresLeft = 0;
    let second: Node | null = null;
    try {
      for (let k = 0; k < 3; k++) await first.pipeline.ingest([walk('flaky-1', k)]);
      assert.equal((await crossingsOf(first.store, 'flaky-1', 2)).length, 2);
      await stopNode(first);
      // A node started on that store restores the unit's rules from its history: the first reads fail.
      const cut = cutOffWhile(() => failuresLeft-- > 0);
      second = await startNode(url, undefined, { track: cut, latestFixBefore: cut });
      failuresLeft = 2;
      for (let k = 3; k < 6; k++) await second.pipeline.ingest([walk('flaky-1', k)]);
      const crossings = await crossingsOf(second.store, 'flaky-1', 5);
      assert.deepEqual(crossings.map((c) => (c.time - T0) / 10_000), [1, 2, 3, 4, 5]);
      assert.ok(failuresLeft < 0, 'the reads failed as asked');
      assert.ok(second.errors.length > 0 && second.errors.every((m) => /go on from what the store holds/.test(m)), second.errors.join('; '));
    } finally {
      if (second) await stopNode(second);
    }
  });

  test('a proximity alert of a unit whose holder stops before storing it is stored once, by the node taking the unit over', async () => {
    const url = await cluster.createDatabase();
    // Node A's rules store nothing of a proximity encounter once `hang` is set: it is as if A died there.
    let hang = false;
    let unhang: (() => void) | null = null;
    let leasesOfA: UnitLeases | null = null;
    const a = await startNode(url, undefined, {
      appendRuleAlerts: (real, alerts: { kind: string }[], marks) => (hang && alerts.some((x) => x.kind === 'proximity')
        ? new Promise((_, reject) => { unhang = () => reject(new LinderoError('store-closed', 'the node is gone (a test)')); })
        : real(alerts, marks)),
      unitLeases: async (real, ...args) => (leasesOfA = await (real(...args) as Promise<UnitLeases>)),
    });
    const b = await startNode(url);
    try {
      const until = Date.now() + 10_000;
      while (a.pipeline.leased!.owned.size === 0 || b.pipeline.leased!.owned.size === 0) {
        assert.ok(Date.now() < until, 'the buckets are shared within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const candidates = Array.from({ length: 500 }, (_, i) => `scout-${i}`);
      const ofA = candidates.find((u) => a.pipeline.leased!.owned.has(unitBucket(u)))!;
      const ofB = candidates.find((u) => b.pipeline.leased!.owned.has(unitBucket(u)))!;
      // B's unit waits 100 m south of the line; A's unit comes from 5 km east to 100 m north, 200 m from it
      // (the alert of an encounter is the unit's whose fix began it).
      await b.pipeline.ingest([fixAt(ofB, T0, -100)]);
      await b.pipeline.ingest([fixAt(ofA, T0, 100, 5000)]);
      await Promise.all([a.pipeline.settle(), b.pipeline.settle()]);
      hang = true;
      await b.pipeline.ingest([fixAt(ofA, T0 + 10_000, 100, 200)]);
      const proximityOf = async (unit: string) => (await b.store.alerts({ unit, kinds: ['proximity'], limit: 100 }));
      // B has run that fix through proximity too (it is woken by the commit, and each second), and held
      // back the alert, A's unit's to store; A has not stored it.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await b.pipeline.settle();
      assert.equal((await proximityOf(ofA)).length, 0, 'A has not stored its unit\'s alert');
      // A "dies": its buckets go to B, which stores what A had not.
      await leasesOfA!.stop();
      for (const limit = Date.now() + 15_000; (await proximityOf(ofA)).length === 0;) {
        assert.ok(Date.now() < limit, 'the node taking A\'s unit over stores its proximity alert');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await b.pipeline.settle();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await b.pipeline.settle();
      const stored = await proximityOf(ofA);
      assert.deepEqual(stored.map((x) => [x.otherUnit, x.time]), [[ofB, T0 + 10_000]], 'the encounter stored once, at the fix that began it');
      assert.equal((await proximityOf(ofB)).length, 0);
    } finally {
      (unhang as (() => void) | null)?.();
      await stopNode(a);
      await stopNode(b);
    }
  });
});
