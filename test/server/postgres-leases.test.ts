// Three `lindero serve` nodes on one PostgreSQL database share the units' live rules by lease. Units walk
// back and forth across the line, each fix sent to the next node in turn; the node holding a set of units
// is killed with SIGKILL while fixes keep arriving at the others. Another node takes those units over
// within the 10 s (the time is printed), every acknowledged fix is stored once, each crossing is
// raised exactly once (none missed, none twice), and `lindero verify` finds the chain intact.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { postgresMissing, rulesCaughtUp, startPgCluster, type PgCluster } from '../helpers/postgres.js';
import { runInProcess } from '../helpers/cli.js';
import { postFixes, serveNode, type SentFix } from '../helpers/serve-node.js';
import { tempDir } from '../helpers/store-fixtures.js';
import { RULE_BUCKETS, unitBucket } from '../../src/store/index.js';


interface ServeNode { child: ChildProcess; port: number; alive: boolean }



const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Owner of each bucket whose lease is current, by the database's clock. */
async function owners(client: pg.Client): Promise<Map<number, string>> {
  const { rows } = await client.query<{ bucket: number; owner: string }>('SELECT bucket, owner FROM rule_buckets WHERE owner IS NOT NULL AND expires_at > now()');
  return new Map(rows.map((r) => [r.bucket, r.owner]));
}

/** Waits until every bucket is held and spread over `nodes` nodes. */
async function bucketsShared(client: pg.Client, nodes: number): Promise<void> {
  for (let waited = 0; ; waited += 200) {
    const held = await owners(client);
    if (held.size === RULE_BUCKETS && new Set(held.values()).size === nodes) return;
    assert.ok(waited < 20_000, `the ${nodes} nodes share the buckets`);
    await sleep(200);
  }
}

/** Which node id each serving process leases as (its lease connection names both). */
async function nodeIdsByPid(client: pg.Client): Promise<Map<number, string>> {
  const { rows } = await client.query<{ name: string }>("SELECT application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'lindero rules %'");
  return new Map(rows.map((r) => {
    const [, , node, , pid] = r.name.split(' ');
    return [Number(pid), node];
  }));
}

describe('units\' live rules leased across three nodes', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  const tmp = tempDir('lindero-leases-');
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await cluster?.stop();
    tmp.remove();
  });

  test('fixes alternating between nodes raise each crossing once; the holder killed, another node takes its units within 10 s and misses nothing', { timeout: 300_000 }, async () => {
    const db = await cluster.createDatabase();
    const nodes = await Promise.all(['a', 'b', 'c'].map((name) => serveNode(db, tmp.file(name)).then((n) => ({ ...n, alive: true }))));
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      await bucketsShared(client, 3);
      const ids = await nodeIdsByPid(client);
      const [victim, ...survivors] = nodes;
      const victimId = ids.get(victim.child.pid!)!;
      assert.ok(victimId, 'the victim\'s node id is known');
      const held = await owners(client);
      const pick = (ofVictim: boolean, count: number) => Array.from({ length: 2000 }, (_, i) => `walker-${i}`)
        .filter((u) => (held.get(unitBucket(u)) === victimId) === ofVictim).slice(0, count);
      const victimUnits = pick(true, 4);
      const otherUnits = pick(false, 2);
      const startMs = Math.floor(Date.now() / 1000) * 1000 - 900_000;
      // Each unit on its own meridian, 5 km from the next (no proximity alerts between them).
      const lonOf = new Map([...victimUnits, ...otherUnits].map((u, i) => [u, -108.15 + i * 0.05]));
      const acked = new Map<string, SentFix>();
      let killedAtMs = 0;
      let sent = 0;
      const device = async (unit: string, rounds: number) => {
        for (let k = 0; k < rounds; k++) {
          const fix: SentFix = { unit, time: startMs + k * 1000, lat: 31.783333 + (k % 2 === 0 ? 0.0027 : -0.0027), lon: lonOf.get(unit)!, accuracy_m: 3 };
          // Each fix to the next node in turn; a node gone, the next one.
          for (let attempt = 0; ; attempt++) {
            const node = nodes[(k + attempt) % nodes.length];
            if (!node.alive) continue;
            try {
              await postFixes(node.port, [fix]);
              break;
            } catch (e) {
              if (node.alive || attempt > 6) throw e;
            }
          }
          acked.set(`${unit}@${fix.time}`, fix);
          if (++sent === 60 && killedAtMs === 0) {
            victim.alive = false;
            victim.child.kill('SIGKILL');
            killedAtMs = Date.now();
          }
          await sleep(100);
        }
      };
      const takeover = (async () => {
        while (killedAtMs === 0) await sleep(20);
        for (;;) {
          const now = await owners(client);
          const victims = [...held].filter(([, owner]) => owner === victimId).map(([b]) => b);
          if (victims.every((b) => now.has(b) && now.get(b) !== victimId)) return Date.now() - killedAtMs;
          await sleep(100);
        }
      })();
      await Promise.all([...victimUnits, ...otherUnits].map((u) => device(u, 80)));
      const takeoverMs = await takeover;
      console.log(`units of the killed node were taken over ${takeoverMs} ms after SIGKILL`);
      assert.ok(takeoverMs < 10_000, `taken over in ${takeoverMs} ms`);

      // The survivors' rules catch up with every stored fix, then the survivors stop as an operator would.
      await rulesCaughtUp(db);
      await Promise.all(survivors.map((node) => new Promise<void>((resolve) => {
        node.child.on('exit', () => resolve());
        node.child.kill('SIGTERM');
      })));

      const fixes = (await client.query<{ unit: string; time: number; copies: number }>('SELECT unit, time_ms AS time, count(*)::int AS copies FROM fixes GROUP BY unit, time_ms')).rows;
      const stored = new Map(fixes.map((r) => [`${r.unit}@${r.time}`, r.copies]));
      assert.equal(acked.size, 6 * 80);
      for (const key of acked.keys()) assert.equal(stored.get(key), 1, `acknowledged fix ${key} is stored exactly once`);
      const alerts = (await client.query<{ unit: string; kind: string; time: number; copies: number }>(
        'SELECT unit, kind, time_ms AS time, count(*)::int AS copies FROM alerts GROUP BY unit, kind, time_ms, other_unit')).rows;
      for (const r of alerts) assert.equal(r.copies, 1, `the ${r.kind} alert of ${r.unit} at ${r.time} is stored once`);
      for (const unit of [...victimUnits, ...otherUnits]) {
        const times = alerts.filter((r) => r.unit === unit && r.kind === 'crossing').map((r) => (r.time - startMs) / 1000).sort((x, y) => x - y);
        assert.deepEqual(times, Array.from({ length: 79 }, (_, i) => i + 1), `${unit}: each of its 79 crossings raised once`);
      }
    } finally {
      for (const node of nodes) if (node.alive) node.child.kill('SIGKILL');
      await client.end();
    }
    const verified = await runInProcess(['verify', '--db', db, '--json']);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.equal((JSON.parse(verified.stdout) as { ok: boolean }).ok, true);
  });
  test('two units held by different nodes raise one proximity alert when they meet near the line', { timeout: 120_000 }, async () => {
    const db = await cluster.createDatabase();
    const nodes = await Promise.all(['p', 'q'].map((name) => serveNode(db, tmp.file(name))));
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      await bucketsShared(client, 2);
      const ids = await nodeIdsByPid(client);
      const held = await owners(client);
      const heldBy = (node: number) => Array.from({ length: 500 }, (_, i) => `patrol-${i}`).find((u) => held.get(unitBucket(u)) === ids.get(nodes[node].child.pid!))!;
      // The walker's rules on the first node, the one standing still on the second; each sends to the other node.
      const walker = heldBy(0), standing = heldBy(1);
      assert.ok(walker && standing);
      const startMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
      // 100 m north of the 31°47' line west of Columbus (within the 500 m of the line where proximity counts):
      // the walker comes from 2.8 km west in steps of 100 m, passes the other and goes on 2.8 km east.
      const lat = 31.783333 + 0.0009, standingLon = -108.1, stepDeg = 100 / 94_750;
      for (let k = 0; k <= 56; k++) {
        const time = startMs + k * 1000;
        await postFixes(nodes[1].port, [{ unit: walker, time, lat, lon: standingLon - 28 * stepDeg + k * stepDeg, accuracy_m: 3 }]);
        await postFixes(nodes[0].port, [{ unit: standing, time, lat, lon: standingLon, accuracy_m: 3 }]);
      }
      await rulesCaughtUp(db);
      const { rows } = await client.query<{ unit: string; other: string }>("SELECT unit, other_unit AS other FROM alerts WHERE kind = 'proximity'");
      assert.equal(rows.length, 1, `one proximity alert for the encounter: ${JSON.stringify(rows)}`);
      assert.deepEqual(new Set([rows[0].unit, rows[0].other]), new Set([walker, standing]));
    } finally {
      for (const node of nodes) node.child.kill('SIGTERM');
      await client.end();
    }
  });
});
