// A server process killed with SIGKILL at any moment keeps every fix it acknowledged, and never
// stores one twice, even when the client sends again what was not acknowledged.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { serveNode } from '../helpers/serve-node.js';
import { seeded } from '../helpers/geodesic-oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'lindero-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface SentFix { unit: string; time: number; lat: number; lon: number }

/** Posts batches from several clients until killed; returns the fixes whose batch was acknowledged. */
async function sendUntilKilled(port: number, child: ChildProcess, next: () => SentFix[], killAfterAcks: number, resend: SentFix[]): Promise<{ acked: SentFix[]; unacked: SentFix[] }> {
  const acked: SentFix[] = [];
  const unacked: SentFix[] = [];
  let acks = 0;
  let killed = false;
  const client = async (first: SentFix[] | null) => {
    let batch = first ?? next();
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
        const body = await r.json() as { accepted: number };
        assert.equal(r.status, 200);
        assert.equal(body.accepted, batch.length);
        acked.push(...batch);
        if (++acks === killAfterAcks && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      } catch (e) {
        if (!killed) throw e;
        unacked.push(...batch);
        return;
      }
      batch = next();
    }
  };
  await Promise.all([client(resend.length ? resend : null), client(null), client(null), client(null)]);
  return { acked, unacked };
}

test('20 SIGKILLs at seeded moments lose no acknowledged fix and store none twice', { timeout: 600_000 }, async () => {
  const db = join(dir, 'killed.db');
  const random = seeded(20250301);
  const startMs = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  let n = 0;
  const next = (): SentFix[] => Array.from({ length: 1 + Math.floor(random() * 20) }, () => {
    const k = n++;
    return { unit: `u${k % 7}`, time: startMs + k * 100, lat: 31.7 + (k % 1000) * 1e-4, lon: -106.6 + (k % 977) * 1e-4 };
  });
  const acked = new Map<string, SentFix>();
  let resend: SentFix[] = [];
  for (let round = 0; round < 20; round++) {
    const { child, port } = await serveNode(db);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const result = await sendUntilKilled(port, child, next, 1 + Math.floor(random() * 40), resend);
    await exited;
    for (const f of result.acked) acked.set(`${f.unit}@${f.time}`, f);
    // What was not acknowledged is sent again after the restart, as a client retrying would.
    resend = result.unacked;
  }
  const file = new Database(db, { readonly: true });
  const rows = file.prepare('SELECT unit, time_ms AS time, count(*) AS copies FROM fixes GROUP BY unit, time_ms').all() as { unit: string; time: number; copies: number }[];
  file.close();
  const stored = new Map(rows.map((r) => [`${r.unit}@${r.time}`, r.copies]));
  assert.ok(acked.size > 100, `${acked.size} fixes acknowledged`);
  for (const key of acked.keys()) assert.equal(stored.get(key), 1, `acknowledged fix ${key} is stored exactly once`);
  assert.ok(rows.every((r) => r.copies === 1), 'no fix is stored twice');
});

test('`lindero serve` closes its listeners and the store on SIGTERM and exits 0', { timeout: 30_000 }, async () => {
  const db = join(dir, 'term.db');
  const { child, port } = await serveNode(db);
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/fixes`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ unit: 'term', time: Date.now() - 1000, lat: 31.79, lon: -106.58 }]),
  });
  assert.equal(r.status, 200);
  const code = await new Promise((resolve) => {
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  assert.equal(code, 0);
  const file = new Database(db, { readonly: true });
  assert.equal((file.prepare('SELECT count(*) AS n FROM fixes').get() as { n: number }).n, 1);
  file.close();
});
