// Partner links on several nodes: two CBP `lindero serve` nodes on one PostgreSQL database, and a SEDENA
// server dialling them (given both addresses: the node without the links refuses it, and it tries the
// other). The links run on the one node holding their lease; fixes reach CBP through either node
// and are shared once each; a message queued on the other node is sent by the holder; what SEDENA shares
// is seen on both. The holder is killed with SIGKILL while fixes keep arriving at the other node: that
// node takes the links over, SEDENA's link comes back to it, and every shared fix reaches SEDENA exactly
// once (none lost, none twice), in sequence without a gap.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { postgresMissing, startPgCluster, type PgCluster } from '../helpers/postgres.js';
import { BOUNDARY_FILE, eventually, getJson, offLine, postJson, SECRET, tempDir, writeJson } from './helpers.js';
import { startServe, type ServeProcess } from './serve-process.js';

const tmp = tempDir('lindero-share-pg-');
const files = {
  mxDb: join(tmp.dir, 'mx.db'), mxShare: join(tmp.dir, 'mx.share.db'),
  mxPartners: join(tmp.dir, 'mx-partners.json'), usPartners: join(tmp.dir, 'us-partners.json'),
};

function fix(unit: string, metresFromLine: number, timeMs: number) {
  return { unit, time: new Date(timeMs).toISOString(), ...offLine(metresFromLine), accuracy_m: 4 };
}

async function post(server: ServeProcess, fixes: unknown[]): Promise<void> {
  const r = await postJson(`${server.base}/api/v1/fixes`, fixes);
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** SEDENA's stored inbox from CBP, in sequence order. */
function mxInbox(): { seq: number; kind: string; unit: string | null; time_ms: number | null }[] {
  const db = new Database(files.mxShare, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT seq, kind, unit, time_ms FROM share_inbox WHERE partner = 'CBP' ORDER BY seq").all() as { seq: number; kind: string; unit: string | null; time_ms: number | null }[];
  } finally {
    db.close();
  }
}

const linkHere = async (node: ServeProcess) => (await getJson(`${node.base}/api/v1/partners`)).link.here as boolean;

describe('partner links on two nodes of one PostgreSQL store', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  let mx: ServeProcess;
  const cbp: ServeProcess[] = [];

  before(async () => {
    cluster = await startPgCluster();
    const db = await cluster.createDatabase();
    // CBP waits for SEDENA to dial in; SEDENA is given both nodes' addresses and tries them in turn.
    writeJson(files.usPartners, { org: 'CBP', link: { port: 0 }, partners: [{ name: 'SEDENA', secret: SECRET, policy: { boundary_within_m: 2000 } }] });
    for (const name of ['a', 'b']) {
      cbp.push(await startServe(['--db', db, '--db-files', join(tmp.dir, name), '--boundary', BOUNDARY_FILE, '--partners', files.usPartners]));
    }
    mx = await startServe(['--db', files.mxDb, '--boundary', BOUNDARY_FILE, '--partners', writeJson(files.mxPartners, {
      org: 'SEDENA', lang: 'es', link: { port: 0, reconnect_min_ms: 100, reconnect_max_ms: 500 },
      partners: [{ name: 'CBP', url: cbp.map((n) => `ws://127.0.0.1:${n.link}`), secret: SECRET, lang: 'en', policy: { boundary_within_m: 2000 } }],
    })]);
  });

  after(async () => {
    await Promise.all([mx?.stop(), ...cbp.map((n) => n.stop())]);
    await cluster?.stop();
    tmp.remove();
  });

  it('one node runs the links; fixes through either node are shared once each, also when that node is killed', { timeout: 120_000 }, async () => {
    const holder = await eventually(async () => {
      const here = await Promise.all(cbp.map(linkHere));
      return here.filter(Boolean).length === 1 ? cbp[here.indexOf(true)] : undefined;
    }, 'one node to hold the partner links');
    const other = cbp.find((n) => n !== holder)!;
    await eventually(async () => ((await getJson(`${mx.base}/api/v1/partners`)).partners[0].link.state === 'connected' ? true : undefined), 'SEDENA linked');
    // The node without the links shows the link's state as the holder tells it.
    await eventually(async () => ((await getJson(`${other.base}/api/v1/partners`)).partners[0].link.state === 'connected' ? true : undefined), 'the link\'s state on the other node');

    const t0 = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    const times: number[] = [];
    // Ten fixes, alternating between the nodes, 300 m north of the line (within the policy's 2 km).
    for (let k = 0; k < 10; k++) {
      times.push(t0 + k * 1000);
      await post(k % 2 === 0 ? holder : other, [fix('bp-1', 300, t0 + k * 1000)]);
    }
    await eventually(() => (mxInbox().filter((r) => r.kind === 'position').length >= 10 ? true : undefined), 'the first ten shared');

    // A message queued on the node without the links is sent by the holder, and its receipt seen on both.
    const sent = await postJson(`${other.base}/api/v1/partners/SEDENA/messages`, { template: 'our-side', params: { distance_m: 150, direction: 'north', landmark: 'river' } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    for (const node of [holder, other]) {
      await eventually(async () => ((await getJson(`${node.base}/api/v1/partners/SEDENA/messages`)).messages.some((m: { status: string }) => m.status === 'delivered') ? true : undefined), 'the receipt');
    }
    // What SEDENA shares is seen through either node.
    await post(mx, [fix('m-3', -400, t0)]);
    for (const node of [holder, other]) {
      await eventually(async () => ((await getJson(`${node.base}/api/v1/units`)).units.some((u: { unit: string; partner?: string }) => u.partner === 'SEDENA') ? true : undefined), 'the SEDENA unit');
    }

    // The holder dies; fixes keep coming to the other node.
    await holder.crash();
    const killedMs = Date.now();
    for (let k = 10; k < 20; k++) {
      times.push(t0 + k * 1000);
      await post(other, [fix('bp-1', 300, t0 + k * 1000)]);
    }
    await eventually(() => linkHere(other).then((here) => (here ? true : undefined)), 'the other node to take the links');
    console.log(`the other node held the partner links ${Date.now() - killedMs} ms after the holder was killed`);
    await eventually(() => (mxInbox().filter((r) => r.kind === 'position').length >= 20 ? true : undefined), 'all twenty shared', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const inbox = mxInbox();
    assert.deepEqual(inbox.map((r) => r.seq), inbox.map((_, i) => i + 1), 'numbered without a gap');
    const positions = inbox.filter((r) => r.kind === 'position' && r.unit === 'bp-1').map((r) => r.time_ms);
    assert.deepEqual(positions.sort((a, b) => a! - b!), times, 'each fix shared once');
    assert.equal(inbox.filter((r) => r.kind === 'message').length, 1, 'the message once');
  });
});
