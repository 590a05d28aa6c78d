// Operators beyond loopback: accounts with roles made by `lindero user add`, signing in through the
// login page (English and Spanish, rate-limited), sessions in HttpOnly SameSite cookies, the pages and
// the stream behind a session or key, acknowledgements on the server with who made them in the evidence.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { main } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/cli/io.js';
import { startTestServer, wholeSecondsAgo, type TestServer } from './helpers.js';

let server: TestServer;
const db = () => join(server.dir, 'test.db');

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIo = { stdin: Readable.from([stdin]), out: (t) => (out += t), err: (t) => (err += t), write: async (t) => void (out += t) };
  const code = await main([...args, '--db', db()], io);
  return { code, out, err };
}

async function signIn(name: string, password: string, lang = 'en'): Promise<Response> {
  return fetch(`${server.base}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, password, next: '/', lang }).toString(),
  });
}

const cookieOf = (r: Response) => (r.headers.get('set-cookie') ?? '').split(';')[0];

before(async () => {
  server = await startTestServer({ auth: true, rules: null, cotPort: null, cotUdpPort: null, nmeaPort: null, allowOpenDevices: true });
  assert.equal((await cli(['user', 'add', 'vera', '--role', 'viewer'], 'vera-password-1\n')).code, 0);
  assert.equal((await cli(['user', 'add', 'omar', '--role', 'operator'], 'omar-password-1\n')).code, 0);
});
after(() => server.stop());

test('the pages send a visitor without a session to the login page, in English or Spanish', async () => {
  for (const path of ['/', '/card', '/field/']) {
    const r = await fetch(`${server.base}${path}`, { redirect: 'manual' });
    assert.equal(r.status, 302, path);
    assert.equal(r.headers.get('location'), `/login?next=${encodeURIComponent(path)}`);
  }
  const en = await (await fetch(`${server.base}/login`)).text();
  assert.match(en, /<html lang="en">/);
  assert.match(en, /Sign in/);
  const es = await (await fetch(`${server.base}/login`, { headers: { 'accept-language': 'es-MX,es;q=0.9' } })).text();
  assert.match(es, /<html lang="es">/);
  assert.match(es, /Contraseña/);
});

test('a wrong password is refused; the right one gives an HttpOnly, SameSite cookie that opens the pages, the API and the stream', async () => {
  const wrong = await signIn('omar', 'not-the-password');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('set-cookie'), null);
  const ok = await signIn('omar', 'omar-password-1');
  assert.equal(ok.status, 303);
  const setCookie = ok.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  const cookie = cookieOf(ok);
  assert.equal((await fetch(`${server.base}/`, { headers: { cookie }, redirect: 'manual' })).status, 200);
  assert.equal((await fetch(`${server.base}/api/v1/units`, { headers: { cookie } })).status, 200);
  const stream = new WebSocket(`ws://127.0.0.1:${server.ports.http}/api/v1/stream`, { headers: { cookie } });
  await once(stream, 'open');
  stream.close();
});

test('a viewer cannot acknowledge; an operator can, and the evidence says who', async () => {
  const t = wholeSecondsAgo(10);
  const alert = await server.store.appendAlert({
    kind: 'stale', unit: 'alpha', time: t,
    determination: (await server.pipeline.ingest([{ unit: 'alpha', time: t, lat: 31.79, lon: -106.58, accuracyM: 5, source: 'json' }]), (await server.store.track('alpha'))[0].determination),
  } as never);
  const viewer = cookieOf(await signIn('vera', 'vera-password-1'));
  const refused = await fetch(`${server.base}/api/v1/alerts/${alert.id}/acknowledgement`, { method: 'POST', headers: { cookie: viewer } });
  assert.equal(refused.status, 403);
  const operator = cookieOf(await signIn('omar', 'omar-password-1'));
  const done = await fetch(`${server.base}/api/v1/alerts/${alert.id}/acknowledgement`, { method: 'POST', headers: { cookie: operator } });
  assert.equal(done.status, 201);
  assert.equal(((await done.json()) as { by: string }).by, 'omar');
  const shared = await (await fetch(`${server.base}/api/v1/acknowledgements`, { headers: { cookie: viewer } })).json() as { acknowledgements: { alert_id: number; by: string }[] };
  assert.deepEqual(shared.acknowledgements.map((a) => [a.alert_id, a.by]), [[alert.id, 'omar']]);
  const evidence = (await server.store.policyChanges()).filter((p) => p.action === 'alert-acknowledged');
  assert.deepEqual(evidence.map((p) => [p.record.alert, p.record.by]), [[alert.id, 'omar']]);
  assert.ok(evidence[0].chainN > 0);
});

test('API keys carry a role: a viewer key reads but cannot acknowledge or report', async () => {
  const key = (await cli(['key', 'create', 'wall screen', '--role', 'viewer'])).out.trim();
  const auth = { authorization: `Bearer ${key}` };
  assert.equal((await fetch(`${server.base}/api/v1/units`, { headers: auth })).status, 200);
  assert.equal((await fetch(`${server.base}/api/v1/alerts/1/acknowledgement`, { method: 'POST', headers: auth })).status, 403);
  const report = await fetch(`${server.base}/api/v1/fixes`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '[]' });
  assert.equal(report.status, 403);
});

test('a viewer may read incidents but not open one or write a note; an operator may, and the note names who wrote it', async () => {
  const vera = cookieOf(await signIn('vera', 'vera-password-1'));
  const omar = cookieOf(await signIn('omar', 'omar-password-1'));
  const body = JSON.stringify({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString(), units: ['bp-1'] });
  const post = (cookie: string, path: string, payload: string) =>
    fetch(`${server.base}/api/v1${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: payload });
  const refused = await post(vera, '/incidents', body);
  assert.equal(refused.status, 403);
  assert.equal((await refused.json()).error.code, 'forbidden');
  const opened = await post(omar, '/incidents', body);
  assert.equal(opened.status, 201, await opened.clone().text());
  const id = (await opened.json()).id;
  assert.equal((await post(vera, `/incidents/${id}/notes`, JSON.stringify({ text: 'seen from the tower' }))).status, 403);
  const noted = await post(omar, `/incidents/${id}/notes`, JSON.stringify({ text: 'patrol sent to the river' }));
  assert.equal(noted.status, 200);
  assert.deepEqual((await noted.json()).notes.map((n: { text: string; by?: string }) => [n.text, n.by]), [['patrol sent to the river', 'omar']]);
  const listed = await fetch(`${server.base}/api/v1/incidents`, { headers: { cookie: vera } });
  assert.equal(listed.status, 200);
});

test('the dashboard knows who is signed in and offers to sign out; after signing out the cookie opens nothing', async () => {
  const cookie = cookieOf(await signIn('omar', 'omar-password-1'));
  const config = await (await fetch(`${server.base}/dashboard/config.json`, { headers: { cookie } })).json();
  assert.equal(config.signed_in_as, 'omar');
  const out = await fetch(`${server.base}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/login');
  assert.equal((await fetch(`${server.base}/api/v1/units`, { headers: { cookie } })).status, 401);
  const after = await fetch(`${server.base}/dashboard/config.json`, { headers: { cookie } });
  assert.ok(after.status !== 200 || (await after.json()).signed_in_as === null, 'nobody is signed in with that cookie');
});

test('signing in is rate-limited per address', async () => {
  const answers: number[] = [];
  for (let i = 0; i < 12; i++) answers.push((await signIn('nobody', `guess-${i}-xxxxxx`)).status);
  assert.ok(answers.includes(429), String(answers));
});
