// The link's guard: a partner must prove it knows the shared secret, every later frame is signed in
// its place in the session, and a partner's malformed or hostile input closes the link or is set
// aside without touching what was already stored.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { LINK_CONNECTIONS_PER_MINUTE, LINK_PROTOCOL, newNonce, parseShareConfig, proof, proofMatches, sessionKeys, signFrame, type SessionKeys } from '../../src/share/index.js';
import { BOUNDARY_FILE, getJson, offLine, SECRET, tempDir } from './helpers.js';

const tmp = tempDir();
let mx: RunningServer;

before(async () => {
  mx = await startServer({
    host: '127.0.0.1', port: 0, osmandPort: null, cotPort: null, cotUdpPort: null, nmeaPort: null, db: join(tmp.dir, 'mx.db'), boundaryFile: BOUNDARY_FILE,
    share: parseShareConfig(JSON.stringify({ org: 'SEDENA', link: { port: 0 }, partners: [{ name: 'CBP', secret: SECRET }] }), join(tmp.dir, 'mx.json')),
  });
});

after(async () => {
  await mx?.close();
  tmp.remove();
});

interface Dialled {
  socket: WebSocket;
  closed: Promise<[number, Buffer]>;
  messages: string[];
}

async function dial(): Promise<Dialled & { challenge: any }> {
  const socket = new WebSocket(`ws://127.0.0.1:${mx.ports.link}`);
  const messages: string[] = [];
  const closed = once(socket, 'close') as Promise<[number, Buffer]>;
  const first = new Promise<string>((resolve) => socket.once('message', (d) => resolve(String(d))));
  socket.on('message', (d) => messages.push(String(d)));
  socket.on('error', () => {});
  await once(socket, 'open');
  return { socket, closed, messages, challenge: JSON.parse(await first) };
}

/** A correct handshake as CBP: the session keys, and the welcome. */
async function authenticated(): Promise<Dialled & { challenge: any; nonce: string; keys: SessionKeys; welcome: any }> {
  const d = await dial();
  const nonce = newNonce();
  const parties = { clientOrg: 'CBP', serverOrg: 'SEDENA', clientNonce: nonce, serverNonce: d.challenge.nonce };
  const welcome = new Promise<string>((resolve) => d.socket.once('message', (m) => resolve(String(m))));
  d.socket.send(JSON.stringify({ t: 'hello', protocol: LINK_PROTOCOL, org: 'CBP', nonce, proof: proof(SECRET, 'client', parties), received: 0 }));
  return { ...d, nonce, keys: sessionKeys(SECRET, parties, 'client'), welcome: JSON.parse(await welcome) };
}

function position(unit: string, metres: number, timeMs: number) {
  return { kind: 'position', unit, time_ms: timeMs, ...offLine(metres), precision_m: 0, territory: 'US', certain: true, delay_s: 0 };
}

function inbox(): { seq: number; kind: string; body_json: string }[] {
  const db = new Database(join(tmp.dir, 'mx.share.db'), { readonly: true });
  try {
    return db.prepare('SELECT seq, kind, body_json FROM share_inbox ORDER BY seq').all() as { seq: number; kind: string; body_json: string }[];
  } finally {
    db.close();
  }
}

const ackOf = (text: string) => JSON.parse(text.slice(text.indexOf(' ') + 1)) as { t: string; seq: number };

describe('the partner link handshake and frames', () => {
  it('the server opens with a challenge that says nothing about its organisation before the dialler proves the secret', async () => {
    const d = await dial();
    assert.equal(d.challenge.t, 'challenge');
    assert.equal(d.challenge.protocol, LINK_PROTOCOL);
    assert.deepEqual(Object.keys(d.challenge).sort(), ['nonce', 'protocol', 't']);
    assert.doesNotMatch(JSON.stringify(d.challenge), /SEDENA/);
    d.socket.terminate();
  });

  it('a dialler with the wrong secret is refused, and so is an unknown organisation, with the same answer', async () => {
    for (const [org, secret] of [['CBP', 'not the shared secret at all'], ['NOBODY', SECRET]]) {
      const d = await dial();
      const nonce = newNonce();
      const parties = { clientOrg: org, serverOrg: 'SEDENA', clientNonce: nonce, serverNonce: d.challenge.nonce };
      d.socket.send(JSON.stringify({ t: 'hello', protocol: LINK_PROTOCOL, org, nonce, proof: proof(secret, 'client', parties), received: 0 }));
      const [code, reason] = await d.closed;
      assert.equal(code, 4401);
      assert.equal(reason.toString(), 'authentication failed');
      assert.deepEqual(d.messages.slice(1), [], 'nothing but the challenge was sent');
    }
  });

  it('a proof made for another connection (a replayed hello) is refused', async () => {
    const d = await dial();
    const nonce = newNonce();
    const stale = { clientOrg: 'CBP', serverOrg: 'SEDENA', clientNonce: nonce, serverNonce: newNonce() };
    d.socket.send(JSON.stringify({ t: 'hello', protocol: LINK_PROTOCOL, org: 'CBP', nonce, proof: proof(SECRET, 'client', stale), received: 0 }));
    assert.equal((await d.closed)[0], 4401);
  });

  it('the right secret gets a welcome whose proof shows the server knows it too; signed records are stored and acknowledged', async () => {
    const d = await authenticated();
    assert.equal(d.welcome.t, 'welcome');
    const parties = { clientOrg: 'CBP', serverOrg: 'SEDENA', clientNonce: d.nonce, serverNonce: d.challenge.nonce };
    assert.ok(proofMatches(SECRET, 'server', parties, d.welcome.proof));
    assert.ok(!proofMatches('some other secret entirely', 'server', parties, d.welcome.proof));
    assert.ok(!proofMatches(SECRET, 'client', parties, d.welcome.proof), 'a server proof is not a client proof');
    const ack = new Promise<string>((resolve) => d.socket.once('message', (m) => resolve(String(m))));
    d.socket.send(signFrame(d.keys.send, 1, JSON.stringify({ t: 'rec', seq: 1, rec: position('p1', 300, Date.now()) })));
    assert.deepEqual(ackOf(await ack), { t: 'ack', seq: 1 });
    assert.deepEqual(inbox().map((r) => r.seq), [1]);
    const units = (await getJson(`http://127.0.0.1:${mx.ports.http}/api/v1/units`)).units;
    assert.ok(units.some((u: any) => u.partner === 'CBP' && u.unit === 'p1'));
    d.socket.close();
    await d.closed;
  });

  it('a frame whose signature does not match (altered in transit) closes the link and stores nothing', async () => {
    const d = await authenticated();
    const frame = signFrame(d.keys.send, 1, JSON.stringify({ t: 'rec', seq: d.welcome.received + 1, rec: position('p1', 300, Date.now()) }));
    d.socket.send(frame.replace('"p1"', '"p9"'));
    assert.equal((await d.closed)[0], 4401);
    assert.ok(!inbox().some((r) => r.body_json.includes('"p9"')));
  });

  it('a frame sent twice (replayed) closes the link: each signature is bound to its place in the session', async () => {
    const d = await authenticated();
    const frame = signFrame(d.keys.send, 1, JSON.stringify({ t: 'ack', seq: 0 }));
    d.socket.send(frame);
    d.socket.send(frame);
    assert.equal((await d.closed)[0], 4401);
  });

  it('a record that skips sequence numbers closes the link without storing it', async () => {
    const d = await authenticated();
    const before = inbox().length;
    d.socket.send(signFrame(d.keys.send, 1, JSON.stringify({ t: 'rec', seq: d.welcome.received + 5, rec: position('p1', 300, Date.now()) })));
    assert.equal((await d.closed)[0], 4400);
    assert.equal(inbox().length, before);
  });

  it('a malformed record is kept aside as refused and acknowledged, so the link goes on, and it is never shown', async () => {
    const d = await authenticated();
    const seq = d.welcome.received + 1;
    const acks: string[] = [];
    d.socket.on('message', (m) => acks.push(String(m)));
    d.socket.send(signFrame(d.keys.send, 1, JSON.stringify({ t: 'rec', seq, rec: { ...position('evil', 300, Date.now()), lat: 200 } })));
    d.socket.send(signFrame(d.keys.send, 2, JSON.stringify({ t: 'rec', seq: seq + 1, rec: position('p3', 200, Date.now()) })));
    for (let i = 0; i < 100 && !acks.some((a) => ackOf(a).seq === seq + 1); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(acks.some((a) => ackOf(a).seq === seq + 1), 'both acknowledged');
    const rows = inbox();
    assert.equal(rows.find((r) => r.seq === seq)?.kind, 'refused');
    assert.match(rows.find((r) => r.seq === seq)!.body_json, /lat/);
    const units = (await getJson(`http://127.0.0.1:${mx.ports.http}/api/v1/units`)).units;
    assert.ok(!units.some((u: any) => u.unit === 'evil'));
    assert.ok(units.some((u: any) => u.unit === 'p3'));
    d.socket.close();
  });

  it('garbage instead of a hello, a binary frame and an oversized frame are refused', async () => {
    const a = await dial();
    a.socket.send('{"t": "hello", "org": ');
    assert.equal((await a.closed)[0], 4400);
    const b = await dial();
    b.socket.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    assert.equal((await b.closed)[0], 4400);
    const c = await dial();
    c.socket.send('x'.repeat(64 * 1024));
    assert.equal((await c.closed)[0], 1009, 'message too big (RFC 6455 §7.4.1)');
  });

  it('a plain HTTP request to the link port is told to use a WebSocket', async () => {
    const r = await fetch(`http://127.0.0.1:${mx.ports.link}/`);
    assert.equal(r.status, 426);
  });

  // Last: it spends this address's connections for the minute.
  it('one address opening connections faster than a partner ever reconnects is cut off before any challenge', async () => {
    const answered: boolean[] = [];
    for (let i = 0; i < LINK_CONNECTIONS_PER_MINUTE + 5; i++) {
      const socket = new WebSocket(`ws://127.0.0.1:${mx.ports.link}`);
      socket.on('error', () => {});
      const challenge = new Promise<boolean>((resolve) => {
        socket.once('message', () => resolve(true));
        socket.once('close', () => resolve(false));
      });
      answered.push(await challenge);
      socket.terminate();
    }
    const cut = answered.indexOf(false);
    assert.ok(cut > 0 && cut <= LINK_CONNECTIONS_PER_MINUTE, `cut off at connection ${cut}`);
    assert.ok(answered.slice(cut).every((a) => !a), 'and every one after it');
  });
});
