// Two `lindero serve` nodes on one PostgreSQL database. Devices report to both; one node is killed with
// SIGKILL while fixes keep arriving; its devices turn to the other node and send again what was not
// acknowledged. Every acknowledged fix is stored exactly once, no alert is stored twice, and
// `lindero verify` finds one intact evidence chain written by both nodes.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { postgresMissing, rulesCaughtUp, startPgCluster, type PgCluster } from '../helpers/postgres.js';
import { runInProcess } from '../helpers/cli.js';
import { seeded } from '../helpers/geodesic-oracle.js';
import { postFixes, serveNode, type SentFix } from '../helpers/serve-node.js';
import { tempDir } from '../helpers/store-fixtures.js';




describe('two nodes on one PostgreSQL database', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  const tmp = tempDir('lindero-nodes-');
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await cluster?.stop();
    tmp.remove();
  });

  test('a node killed mid-stream loses no acknowledged fix; its devices go on at the other node; no fix or alert is stored twice; the chain verifies', { timeout: 300_000 }, async () => {
    const db = await cluster.createDatabase();
    const [a, b] = await Promise.all([serveNode(db, tmp.file('a')), serveNode(db, tmp.file('b'))]);
    const random = seeded(20261206);
    const startMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    // Eight devices per node; two of each node's walk back and forth across the line (alerts), the rest stay north.
    const step = new Map<string, number>();
    // Each device on its own meridian, 5 km from the next (no proximity alerts between them).
    const lonOf = (device: string) => -108.15 + (device.startsWith('a') ? 0 : 0.4) + Number(device.slice(2)) * 0.05;
    const nextFixes = (device: string, crosses: boolean): SentFix[] => Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
      const k = (step.get(device) ?? 0) + 1;
      step.set(device, k);
      const lat = crosses ? 31.783333 + (k % 2 === 0 ? 0.0027 : -0.0027) : 31.81 + (k % 97) * 1e-4;
      return { unit: device, time: startMs + k * 1000, lat, lon: lonOf(device), accuracy_m: 3 };
    });
    const acked = new Map<string, SentFix>();
    let killed = false;
    let acksOnA = 0;
    const killAfter = 20 + Math.floor(random() * 30);
    const device = async (name: string, crosses: boolean, home: { child: ChildProcess; port: number }) => {
      let port = home.port;
      for (let round = 0; round < 40; round++) {
        const fixes = nextFixes(name, crosses);
        for (;;) {
          try {
            await postFixes(port, fixes);
            break;
          } catch (e) {
            // Its node is gone: the device turns to the other node and sends the same fixes again.
            if (!killed || port !== a.port) throw e;
            port = b.port;
          }
        }
        for (const f of fixes) acked.set(`${f.unit}@${f.time}`, f);
        if (port === a.port && ++acksOnA === killAfter && !killed) {
          killed = true;
          a.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => device(`a-${i}`, i < 2, a)),
      ...Array.from({ length: 8 }, (_, i) => device(`b-${i}`, i < 2, b)),
    ]);
    assert.ok(killed, 'node A was killed while devices were reporting');
    // Node B takes over node A's units once their leases expire and evaluates what A had not: wait until
    // the rules' watermarks have passed every stored fix, then stop it as an operator would.
    await rulesCaughtUp(db);
    await new Promise<void>((resolve) => {
      b.child.on('exit', () => resolve());
      b.child.kill('SIGTERM');
    });

    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const fixes = (await client.query<{ unit: string; time: number; copies: string }>(
        'SELECT unit, time_ms AS time, count(*) AS copies FROM fixes GROUP BY unit, time_ms')).rows;
      const stored = new Map(fixes.map((r) => [`${r.unit}@${Number(r.time)}`, Number(r.copies)]));
      assert.ok(acked.size > 200, `${acked.size} fixes acknowledged`);
      for (const key of acked.keys()) assert.equal(stored.get(key), 1, `acknowledged fix ${key} is stored exactly once`);
      const alerts = (await client.query<{ unit: string; kind: string; time: number; copies: string }>(
        'SELECT unit, kind, time_ms AS time, count(*) AS copies FROM alerts GROUP BY unit, kind, time_ms, other_unit')).rows;
      assert.ok(alerts.some((r) => r.unit.startsWith('a-') && r.kind === 'crossing'), 'crossings of node A\'s devices were raised');
      assert.ok(alerts.some((r) => r.unit.startsWith('b-') && r.kind === 'crossing'), 'crossings of node B\'s devices were raised');
      for (const r of alerts) assert.equal(Number(r.copies), 1, `the ${r.kind} alert of ${r.unit} at ${r.time} is stored once`);
      // Each fix of a crossing device is on the other side of the line from the one before: each is a crossing.
      for (const unit of ['a-0', 'a-1', 'b-0', 'b-1']) {
        const fixCount = [...acked.values()].filter((f) => f.unit === unit).length;
        const crossings = alerts.filter((r) => r.unit === unit && r.kind === 'crossing').length;
        assert.equal(crossings, fixCount - 1, `${unit}: ${fixCount} fixes, each across the line from the one before`);
      }
      // The incident rule runs on one node at a time: every crossing is taken into an incident exactly once.
      const taken = (await client.query<{ alert: string; copies: string }>(
        "SELECT record_json::json->>'alert_id' AS alert, count(*) AS copies FROM incident_records WHERE record_json::json->>'alert_id' IS NOT NULL GROUP BY 1")).rows;
      const crossingCount = alerts.filter((r) => r.kind === 'crossing').length;
      assert.equal(taken.length, crossingCount, 'every crossing opened or extended an incident');
      for (const r of taken) assert.equal(Number(r.copies), 1, `alert ${r.alert} was taken into an incident once`);
    } finally {
      await client.end();
    }
    const key = await runInProcess(['key', 'create', 'tablet 3', '--db', db]);
    assert.equal(key.code, 0, key.stderr);
    const verified = await runInProcess(['verify', '--db', db, '--json']);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.equal((JSON.parse(verified.stdout) as { ok: boolean }).ok, true);
  });
});
