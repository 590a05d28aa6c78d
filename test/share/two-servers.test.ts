// Two real `lindero serve` processes, each with its own store, linked as partners: what the US side
// shares reaches the Mexican side only as its policy allows, and crashing either side in the middle of
// a shared patrol loses no shared record and stores none twice.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { snapToGrid } from '../../src/share/index.js';
import { BOUNDARY_FILE, eventually, getJson, offLine, postJson, SECRET, tempDir, writeJson } from './helpers.js';
import { startServe, type ServeProcess } from './serve-process.js';

const tmp = tempDir();
const GRID_M = 500;
const DELAY_S = 2;
const files = {
  mxDb: join(tmp.dir, 'mx.db'), usDb: join(tmp.dir, 'us.db'),
  mxShare: join(tmp.dir, 'mx.share.db'), usShare: join(tmp.dir, 'us.share.db'),
  mxPartners: join(tmp.dir, 'mx-partners.json'), usPartners: join(tmp.dir, 'us-partners.json'),
};

let mx: ServeProcess;
let us: ServeProcess;
let mxLinkPort = 0;

function mxConfig(port: number) {
  return writeJson(files.mxPartners, { org: 'SEDENA', lang: 'es', link: { port }, partners: [{ name: 'CBP', secret: SECRET, lang: 'en' }] });
}

function usConfig() {
  return writeJson(files.usPartners, {
    org: 'CBP', link: { port: 0, reconnect_min_ms: 100, reconnect_max_ms: 1000 }, units: { 'k9-1': ['withheld'] },
    partners: [{ name: 'SEDENA', url: `ws://127.0.0.1:${mxLinkPort}`, secret: SECRET, policy: { boundary_within_m: 2000, grid_m: GRID_M, delay_s: DELAY_S } }],
  });
}

const startMx = () => startServe(['--db', files.mxDb, '--boundary', BOUNDARY_FILE, '--partners', mxConfig(mxLinkPort)]);
const startUs = () => startServe(['--db', files.usDb, '--boundary', BOUNDARY_FILE, '--partners', usConfig()]);

function fix(unit: string, metresFromLine: number, timeMs: number, lon = -107.8) {
  return { unit, time: new Date(timeMs).toISOString(), ...offLine(metresFromLine, lon), accuracy_m: 4 };
}

async function post(server: ServeProcess, fixes: unknown[]) {
  const r = await postJson(`${server.base}/api/v1/fixes`, fixes);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.accepted, fixes.length);
}

interface InboxRow { seq: number; kind: string; unit: string | null; time_ms: number | null; received_ms: number; body_json: string }

function mxInbox(): InboxRow[] {
  const db = new Database(files.mxShare, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seq, kind, unit, time_ms, received_ms, body_json FROM share_inbox ORDER BY seq').all() as InboxRow[];
  } finally {
    db.close();
  }
}

/** Waits until SEDENA has stored every record CBP has numbered for it. */
async function allDelivered(): Promise<number> {
  return eventually(async () => {
    const sent = (await getJson(`${us.base}/api/v1/partners`)).partners[0].link;
    const got = (await getJson(`${mx.base}/api/v1/partners`)).partners[0].link;
    return sent.delayed === 0 && sent.queued_seq > 0 && got.received_seq === sent.queued_seq && sent.acked_seq === sent.queued_seq ? sent.queued_seq : undefined;
  }, 'every shared record to be delivered', 40_000);
}

before(async () => {
  mx = await startMx();
  mxLinkPort = mx.link!;
  us = await startUs();
});

after(async () => {
  await Promise.all([us?.stop(), mx?.stop()]);
  tmp.remove();
});

describe('two linked lindero servers, one on each side of the line', () => {
  it("the US patrol near the line is seen by the Mexican side only within the policy; inland and withheld units never", async () => {
    const t0 = Date.now();
    await post(us, [
      fix('p1', 3000, t0), fix('p1', 1500, t0 + 1000), fix('p1', 800, t0 + 2000), fix('p1', 300, t0 + 3000),
      fix('far', 8000, t0), fix('far', 9000, t0 + 1000), fix('k9-1', 100, t0), fix('k9-1', 50, t0 + 1000),
    ]);
    const units = await eventually(async () => {
      const list = (await getJson(`${mx.base}/api/v1/units`)).units as any[];
      const p1 = list.find((u) => u.partner === 'CBP' && u.unit === 'p1');
      return p1 && p1.fix_count === 3 ? list : undefined;
    }, 'p1 on the Mexican side');
    const p1 = units.find((u) => u.unit === 'p1');
    const last = fix('p1', 300, t0 + 3000);
    const cell = snapToGrid(last.lat, last.lon, GRID_M);
    assert.equal(p1.partner, 'CBP');
    assert.equal(p1.precision_m, cell.precisionM);
    assert.deepEqual([p1.last_fix.lat, p1.last_fix.lon], [cell.lat, cell.lon], 'the shared position is the grid cell centre');
    assert.notDeepEqual([p1.last_fix.lat, p1.last_fix.lon], [last.lat, last.lon]);
    assert.equal(p1.territory, 'US');
    assert.equal(p1.last_fix.source, 'partner');
    assert.ok(!units.some((u) => u.unit === 'far' || u.unit === 'k9-1'), 'an inland or withheld unit was shown');

    const inbox = mxInbox();
    assert.deepEqual(inbox.map((r) => [r.kind, r.unit, r.time_ms]), [
      ['position', 'p1', t0 + 1000], ['position', 'p1', t0 + 2000], ['position', 'p1', t0 + 3000],
    ], 'only the three fixes within 2,000 m, and nothing of the inland or withheld units');
    for (const r of inbox) {
      assert.ok(r.received_ms >= r.time_ms! + DELAY_S * 1000, `record ${r.seq} arrived ${r.received_ms - r.time_ms!} ms after its fix, before the ${DELAY_S} s delay`);
      const body = JSON.parse(r.body_json);
      assert.equal(body.precision_m, cell.precisionM);
    }
  });

  it('killing and restarting either side in the middle of a shared patrol loses no shared record and stores none twice', async () => {
    const t0 = Date.now();
    const sent: number[] = [];
    const patrol = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const time = t0 + i * 1000;
        await post(us, [fix('p2', 100 + (i % 7) * 150, time, -107.9)]);
        sent.push(time);
      }
    };
    await patrol(0, 8);
    await mx.crash();
    await patrol(8, 16);
    mx = await startMx();
    await patrol(16, 24);
    await us.crash();
    us = await startUs();
    await patrol(24, 32);
    const lastSeq = await allDelivered();

    const inbox = mxInbox();
    assert.deepEqual(inbox.map((r) => r.seq), Array.from({ length: lastSeq }, (_, i) => i + 1), 'sequence numbers 1..n, each once');
    const p2 = inbox.filter((r) => r.unit === 'p2').map((r) => r.time_ms);
    assert.deepEqual(p2, sent, 'every fix of the patrol arrived once, in order');
    const units = (await getJson(`${mx.base}/api/v1/units`)).units as any[];
    assert.equal(units.find((u) => u.unit === 'p2').fix_count, sent.length);
  });
});
