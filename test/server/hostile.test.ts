// Every listener survives garbage, hostile XML, oversize messages, half-open connections and slow
// senders, and keeps serving its other clients while it does.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, test as nodeTest } from 'node:test';
import WebSocket from 'ws';
import {
  atakPli, closedByServer, getJson, isFixOf, nmea, nmeaEpoch, postJson, sendUdp, startTestServer, StreamReader, streamUrl, tcpClient,
  wholeSecondsAgo, write, type TestServer,
} from './helpers.js';

// A generous ceiling so that a broken listener fails the test instead of hanging it.
const test = (name: string, fn: () => Promise<void>) => nodeTest(name, { timeout: 30_000 }, fn);

let server: TestServer;
let stream: StreamReader;
before(async () => {
  server = await startTestServer({
    rules: null,
    limits: {
      requestTimeoutMs: 400,
      cot: { maxEventBytes: 4096, idleTimeoutMs: 300, maxConnectionsPerAddress: 6, eventsPerSecond: 50 },
      nmea: { idleTimeoutMs: 300 },
    },
  });
  stream = await StreamReader.open(streamUrl(server));
});
after(async () => {
  await stream.close();
  await server.stop();
});

/** Deterministic bytes (mulberry32), so a failure can be replayed. */
function garbage(seed: number, length: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

const now = () => new Date(wholeSecondsAgo(10)).toISOString();
const hostile = (name: string) => readFileSync(new URL(`../fixtures/cot/${name}`, import.meta.url), 'utf8').replace(/2024-05-14T17:3\d:\d\dZ/g, now);

async function storedCount(unit: string): Promise<number> {
  return (await server.store.track(unit)).length;
}

test('a CoT TCP connection that sends garbage, XXE, entity bombs and an oversize event still gets its next event stored', async () => {
  const client = await tcpClient(server.ports.cotTcp!);
  await write(client.socket, garbage(1, 3000));
  await write(client.socket, Buffer.from([0xbf, 0x01, 0xbf, 0x12, 0x00]));
  await write(client.socket, hostile('xxe.xml'));
  await write(client.socket, hostile('billion-laughs.xml'));
  await write(client.socket, atakPli('ANDROID-huge', 31.79, -106.58, wholeSecondsAgo(9)).replace('<detail>', `<detail><remarks>${'x'.repeat(5000)}</remarks>`));
  await write(client.socket, atakPli('ANDROID-after-garbage', 31.7901, -106.5801, wholeSecondsAgo(8)));
  await stream.waitFor(isFixOf('ANDROID-after-garbage'));
  assert.equal(await storedCount('ANDROID-evil'), 0, 'the XXE document is refused');
  assert.equal(await storedCount('ANDROID-lol'), 0, 'the entity bomb is refused');
  assert.equal(await storedCount('ANDROID-huge'), 0, 'the event over 4 KiB is refused');
  client.socket.end();
});

test('a half-open CoT connection is closed when idle, while another client is served', async () => {
  const silent = await tcpClient(server.ports.cotTcp!);
  await write(silent.socket, atakPli('ANDROID-half', 31.79, -106.58, wholeSecondsAgo(7)).slice(0, 200));
  const other = await tcpClient(server.ports.cotTcp!);
  await write(other.socket, atakPli('ANDROID-meanwhile', 31.7902, -106.5802, wholeSecondsAgo(7)));
  await stream.waitFor(isFixOf('ANDROID-meanwhile'));
  await closedByServer(silent.socket);
  assert.equal(await storedCount('ANDROID-half'), 0);
  other.socket.end();
});

test('a CoT event dripped a few bytes at a time is stored whole', async () => {
  const client = await tcpClient(server.ports.cotTcp!);
  const bytes = Buffer.from(atakPli('ANDROID-drip', 31.7903, -106.5803, wholeSecondsAgo(6)));
  for (let i = 0; i < bytes.length; i += 3) {
    await write(client.socket, bytes.subarray(i, i + 3));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await stream.waitFor(isFixOf('ANDROID-drip'));
  client.socket.end();
});

test('a CoT sender over its rate is slowed down, and none of its events is lost', async () => {
  const client = await tcpClient(server.ports.cotTcp!);
  const t = wholeSecondsAgo(200);
  const events = Array.from({ length: 120 }, (_, i) => atakPli('ANDROID-fast', 31.79 + i * 1e-5, -106.58, t + i * 1000));
  await write(client.socket, events.join(''));
  await stream.waitFor((e) => e.type === 'fix' && e.fix.unit === 'ANDROID-fast' && e.fix.time_ms === t + 119_000);
  assert.equal(await storedCount('ANDROID-fast'), 120);
  client.socket.end();
});

test('connections beyond the per-address limit are refused without disturbing the open ones', async () => {
  const open = await Promise.all(Array.from({ length: 6 }, () => tcpClient(server.ports.cotTcp!)));
  const extra = connect(server.ports.cotTcp!, '127.0.0.1');
  extra.on('error', () => {});
  await once(extra, 'close');
  await write(open[5].socket, atakPli('ANDROID-sixth', 31.7904, -106.5804, wholeSecondsAgo(5)));
  await stream.waitFor(isFixOf('ANDROID-sixth'));
  for (const c of open) c.socket.destroy();
});

test('CoT over UDP: garbage, an entity bomb and an oversize datagram are dropped; the next datagram is stored', async () => {
  await sendUdp(server.ports.cotUdp!, garbage(2, 1200));
  await sendUdp(server.ports.cotUdp!, hostile('billion-laughs.xml'));
  await sendUdp(server.ports.cotUdp!, atakPli('ANDROID-udp-huge', 31.79, -106.58, wholeSecondsAgo(4)).replace('<detail>', `<detail><remarks>${'y'.repeat(6000)}</remarks>`));
  await sendUdp(server.ports.cotUdp!, atakPli('ANDROID-udp-ok', 31.7905, -106.5805, wholeSecondsAgo(4)));
  await stream.waitFor(isFixOf('ANDROID-udp-ok'));
  assert.equal(await storedCount('ANDROID-lol'), 0);
  assert.equal(await storedCount('ANDROID-udp-huge'), 0);
});

test('NMEA: an overlong line, binary garbage and a bad checksum are answered with errors; good sentences after them are stored', async () => {
  const client = await tcpClient(server.ports.nmeaTcp!);
  await write(client.socket, 'UNIT rx-hostile\r\n');
  await write(client.socket, `$GNRMC,${'9'.repeat(5000)}\r\n`);
  await client.waitForText('ERROR line 2: 5008 characters without a line end');
  const [rmc, gga] = nmeaEpoch(31.7713, -106.5404, wholeSecondsAgo(3));
  await write(client.socket, rmc.slice(0, -2) + '00\r\n');
  await client.waitForText('checksum');
  await write(client.socket, Buffer.concat([garbage(3, 500), Buffer.from('\r\n')]));
  await write(client.socket, `${rmc}\r\n${gga}\r\n`);
  await stream.waitFor(isFixOf('rx-hostile'));
  client.socket.end();
});

test('a name line with a bad checksum or an empty name is refused', async () => {
  const client = await tcpClient(server.ports.nmeaTcp!);
  await write(client.socket, `${nmea('PLIND,rx-x').slice(0, -2)}00\r\nUNIT \r\n`);
  await client.waitForText('ERROR line 1: checksum');
  await write(client.socket, nmeaEpoch(31.7714, -106.5405, wholeSecondsAgo(2)).join('\r\n') + '\r\n');
  await client.waitForText('ERROR no unit named');
  client.socket.end();
});

test('a silent NMEA connection is closed when idle', async () => {
  const client = await tcpClient(server.ports.nmeaTcp!);
  await write(client.socket, 'UNIT rx-quiet\r\n$GNRMC,1234');
  await closedByServer(client.socket);
});

test('an HTTP client that stops halfway through its headers is cut off, and others are served meanwhile', async () => {
  const slow = await tcpClient(server.ports.http);
  await write(slow.socket, 'GET /api/v1/units HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  assert.equal((await getJson(`${server.base}/api/v1/where?lat=31.79&lon=-106.58`)).status, 200);
  await closedByServer(slow.socket);
});

test('HTTP garbage gets a 400 and a closed connection; the server goes on', async () => {
  const client = await tcpClient(server.ports.http);
  await write(client.socket, Buffer.concat([Buffer.from('\x16\x03\x01\x02\x00'), garbage(4, 600)]));
  await closedByServer(client.socket);
  assert.match(client.received(), /^HTTP\/1\.1 400/);
  assert.equal((await getJson(`${server.base}/api/v1/where?lat=31.79&lon=-106.58`)).status, 200);
});

test('more requests per second than the limit get 429 in the error shape', async () => {
  const limitedServer = await startTestServer({ rules: null, limits: { httpRequestsPerSecond: 5 } });
  try {
    const answers = await Promise.all(Array.from({ length: 60 }, () => fetch(`${limitedServer.base}/api/v1/units`)));
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, 'some requests were limited');
    const body = await limited[0].json() as { error: { code: string } };
    assert.equal(body.error.code, 'rate-limited');
    await Promise.all(answers.filter((r) => r !== limited[0]).map((r) => r.body?.cancel()));
  } finally {
    await limitedServer.stop();
  }
});

test('OsmAnd: an oversize or malformed body is a 400-class answer and the listener goes on', async () => {
  const osmand = `http://127.0.0.1:${server.ports.osmand}/`;
  const huge = await fetch(osmand, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=x&pad=${'z'.repeat(1_100_000)}` });
  assert.equal(huge.status, 413);
  const badJson = await fetch(osmand, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"device_id": "a", "location": {' });
  assert.equal(badJson.status, 400);
  const ok = await fetch(`${osmand}?id=after-bad&lat=31.79&lon=-106.58&timestamp=${wholeSecondsAgo(1) / 1000}`);
  assert.equal(ok.status, 200);
});

test('a stream client that sends an oversize message is dropped; the others keep receiving', async () => {
  const rude = new WebSocket(streamUrl(server));
  await once(rude, 'open');
  rude.send('x'.repeat(10_000));
  const [code] = await once(rude, 'close') as [number];
  assert.equal(code, 1009, 'message too big (RFC 6455 §7.4.1)');
  const posted = await postJson(`${server.base}/api/v1/fixes`, [{ unit: 'after-rude', time: wholeSecondsAgo(1), lat: 31.79, lon: -106.58 }]);
  assert.equal(posted.status, 200);
  await stream.waitFor(isFixOf('after-rude'));
});
