// Who did what with partners is in the evidence chain: each partner's sharing policy as the server was
// started with it (and again only when it changed), every canned message sent (with the operator or key
// that sent it), every message received (from which partner) and every delivery receipt.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/cli/io.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { parseShareConfig } from '../../src/share/index.js';
import type { StoredPolicyChange } from '../../src/store/index.js';
import { BOUNDARY_FILE, eventually, getJson, SECRET, tempDir, writeJson } from './helpers.js';

const tmp = tempDir();
const files = { mxDb: join(tmp.dir, 'mx.db'), usDb: join(tmp.dir, 'us.db'), mxPartners: join(tmp.dir, 'mx.json'), usPartners: join(tmp.dir, 'us.json') };
const quiet = { host: '127.0.0.1', port: 0, osmandPort: null, cotPort: null, cotUdpPort: null, nmeaPort: null, cotTlsPort: null, boundaryFile: BOUNDARY_FILE, rules: null } as const;
let mx: RunningServer;
let us: RunningServer;
let operatorKey = '';

async function cli(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const io: CommandIo = { stdin: Readable.from(['']), out: (t) => (out += t), err: (t) => (err += t), write: async (t) => void (out += t) };
  assert.equal(await main(args, io), 0, err);
  return out.trim();
}

function mxConfig(gridM: number) {
  return writeJson(files.mxPartners, { org: 'SEDENA', lang: 'es', link: { port: 0 }, partners: [{ name: 'CBP', secret: SECRET, policy: { grid_m: gridM } }] });
}

async function startMx(gridM: number): Promise<RunningServer> {
  const file = mxConfig(gridM);
  return startServer({ ...quiet, db: files.mxDb, auth: true, share: parseShareConfig(readFileSync(file, 'utf8'), file) });
}

async function startUs(mxLinkPort: number): Promise<RunningServer> {
  const file = writeJson(files.usPartners, {
    org: 'CBP', link: { port: 0, reconnect_min_ms: 50, reconnect_max_ms: 300 },
    partners: [{ name: 'SEDENA', url: `ws://127.0.0.1:${mxLinkPort}`, secret: SECRET }],
  });
  return startServer({ ...quiet, db: files.usDb, share: parseShareConfig(readFileSync(file, 'utf8'), file) });
}

const actions = async (s: RunningServer, action: string): Promise<StoredPolicyChange[]> => (await s.store.policyChanges()).filter((p) => p.action === action);

before(async () => {
  mx = await startMx(100);
  us = await startUs(mx.ports.link!);
  operatorKey = await cli(['key', 'create', 'duty desk', '--role', 'operator', '--db', files.mxDb]);
  await eventually(async () => ((await getJson(`http://127.0.0.1:${us.ports.http}/api/v1/partners`)).partners[0].link.state === 'connected' ? true : undefined), 'the link');
});

after(async () => {
  await us?.close();
  await mx?.close();
  tmp.remove();
});

describe('partners in the evidence', () => {
  it('each partner policy the server started with is chained, naming the file and who runs the server', async () => {
    const [policy] = await actions(mx, 'partner-policy');
    assert.equal(policy.record.partner, 'CBP');
    assert.equal((policy.record.policy as { grid_m: number }).grid_m, 100);
    assert.equal(policy.record.file, files.mxPartners);
    assert.match(String(policy.record.file_sha256), /^[0-9a-f]{64}$/);
    assert.equal(policy.record.by_kind, 'local');
    assert.ok(String(policy.record.by).length > 0);
    assert.ok(policy.chainN > 0, 'chained');
    assert.equal((await actions(us, 'partner-policy')).length, 1);
  });

  it('a message sent is chained with the key that sent it; the partner chains it as received, and the receipt comes back chained', async () => {
    const sent = await fetch(`http://127.0.0.1:${mx.ports.http}/api/v1/partners/CBP/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorKey}` },
      body: JSON.stringify({ template: 'our-side', params: { distance_m: 150, direction: 'south', landmark: 'river' } }),
    });
    assert.equal(sent.status, 202, await sent.clone().text());
    const [out] = await actions(mx, 'partner-message-sent');
    assert.equal(out.record.by, 'duty desk');
    assert.equal(out.record.by_kind, 'key');
    assert.equal(out.record.partner, 'CBP');
    assert.equal(out.record.text_en, 'Our patrol is on our side, 150 m south of the river.');
    assert.equal(out.record.text_es, 'Nuestra patrulla está de nuestro lado, a 150 m al sur del río.');
    assert.ok(out.chainN > 0);
    const [received] = await eventually(async () => {
      const r = await actions(us, 'partner-message-received');
      return r.length > 0 ? r : undefined;
    }, 'the received message in the partner\'s evidence');
    assert.equal(received.record.by, 'SEDENA');
    assert.equal(received.record.by_kind, 'partner');
    assert.equal(received.record.text_en, out.record.text_en);
    const [receipt] = await eventually(async () => {
      const r = await actions(mx, 'partner-message-delivered');
      return r.length > 0 ? r : undefined;
    }, 'the delivery receipt in the sender\'s evidence');
    assert.equal(receipt.record.partner, 'CBP');
    assert.equal(receipt.record.seq, received.record.seq);
  });

  it('a viewer\'s key may not send a message, and nothing is chained for it', async () => {
    const viewerKey = await cli(['key', 'create', 'wall screen', '--role', 'viewer', '--db', files.mxDb]);
    const before = (await actions(mx, 'partner-message-sent')).length;
    const refused = await fetch(`http://127.0.0.1:${mx.ports.http}/api/v1/partners/CBP/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${viewerKey}` }, body: JSON.stringify({ template: 'holding' }),
    });
    assert.equal(refused.status, 403);
    assert.equal((await actions(mx, 'partner-message-sent')).length, before);
  });

  it('a restart with the same policy chains nothing new; an edited policy is chained once', async () => {
    await us.close();
    await mx.close();
    mx = await startMx(100);
    assert.equal((await actions(mx, 'partner-policy')).length, 1);
    await mx.close();
    mx = await startMx(250);
    const policies = await actions(mx, 'partner-policy');
    assert.equal(policies.length, 2);
    assert.equal((policies[1].record.policy as { grid_m: number }).grid_m, 250);
    us = await startUs(mx.ports.link!);
  });
});
