// Beyond loopback the API needs a key from `lindero key create`; on loopback it does not.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { command as keyCommand } from '../../src/cli/key.js';
import type { CommandIo } from '../../src/cli/io.js';
import { isLoopback } from '../../src/server/index.js';
import { getJson, postJson, startTestServer, streamUrl, wholeSecondsAgo, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  // auth: true is what listening on any address other than loopback turns on.
  server = await startTestServer({ auth: true, rules: null });
});
after(() => server.stop());

async function runKey(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIo = { stdin: new PassThrough(), out: (t) => (out += t), err: (t) => (err += t), write: async (t) => void (out += t) };
  const code = await keyCommand(argv, io);
  return { code, out, err };
}

const dbOf = (s: TestServer) => join(s.dir, 'test.db');

test('listening on loopback needs no key; any other address does', () => {
  for (const host of ['127.0.0.1', '127.8.0.1', '::1', 'localhost']) assert.equal(isLoopback(host), true, host);
  for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'example.org']) assert.equal(isLoopback(host), false, host);
});

test('a server on 127.0.0.1 answers without a key', async () => {
  const open = await startTestServer({ rules: null });
  try {
    assert.equal(open.authRequired, false);
    assert.equal((await getJson(`${open.base}/api/v1/units`)).status, 200);
  } finally {
    await open.stop();
  }
});

test('without a key the API answers 401 naming the header, with the Bearer challenge', async () => {
  const r = await fetch(`${server.base}/api/v1/units`);
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="lindero"');
  const body = await r.json() as { error: { code: string; field: string; message: string } };
  assert.equal(body.error.code, 'unauthorized');
  assert.equal(body.error.field, 'authorization');
  assert.match(body.error.message, /lindero key create/);
  const wrongScheme = await getJson(`${server.base}/api/v1/units`, { authorization: 'Basic dXNlcjpwYXNz' });
  assert.equal(wrongScheme.status, 401);
  assert.equal(wrongScheme.body.error.code, 'bad-authorization');
});

test('a key made by `lindero key create` opens the API, and stops working once revoked', async () => {
  const created = await runKey(['create', 'tablet', '3', '--db', dbOf(server)]);
  assert.equal(created.code, 0, created.err);
  const key = created.out.trim();
  assert.match(key, /^lnd_[A-Za-z0-9_-]{43}$/);
  const auth = { authorization: `Bearer ${key}` };
  assert.equal((await getJson(`${server.base}/api/v1/units`, auth)).status, 200);
  const posted = await postJson(`${server.base}/api/v1/fixes`, [{ unit: 'keyed', time: wholeSecondsAgo(5), lat: 31.79, lon: -106.58 }], auth);
  assert.equal(posted.body.accepted, 1);
  const listed = await runKey(['list', '--db', dbOf(server)]);
  assert.match(listed.out, /\ttablet 3\t.*\tvalid/);
  const id = listed.out.split('\t')[0];
  assert.equal((await runKey(['revoke', id, '--db', dbOf(server)])).code, 0);
  const revoked = await getJson(`${server.base}/api/v1/units`, auth);
  assert.equal(revoked.status, 401);
  assert.match(revoked.body.error.message, /not valid/);
});

test('a made-up key is refused', async () => {
  const r = await getJson(`${server.base}/api/v1/units`, { authorization: `Bearer lnd_${'A'.repeat(43)}` });
  assert.equal(r.status, 401);
});

test('the stream takes no key from its URL: only the Authorization header (or a session cookie)', async () => {
  const key = (await runKey(['create', 'dashboard', '--db', dbOf(server)])).out.trim();
  for (const url of [streamUrl(server), `${streamUrl(server)}?access_token=${encodeURIComponent(key)}`]) {
    const refused = new WebSocket(url);
    refused.on('error', () => {}); // ending the refused handshake reports an error; it is expected here
    const [, response] = await once(refused, 'unexpected-response') as [unknown, { statusCode: number }];
    assert.equal(response.statusCode, 401, url);
    refused.terminate();
  }
  const accepted = new WebSocket(streamUrl(server), { headers: { authorization: `Bearer ${key}` } });
  await once(accepted, 'open');
  accepted.close();
  await once(accepted, 'close');
});

test('`lindero key create` without a label is a usage error', async () => {
  await assert.rejects(runKey(['create', '--db', dbOf(server)]), /give the key a label/);
});
