// The stream's batching (GET /api/v1/stream?batch=1) over real sockets on loopback: alerts go out at once
// and alone, in order, never held behind fixes nor dropped; everything else comes in batch frames, all of it
// while the client keeps up, each unit's latest when it falls behind; what the server holds for a client that
// stops reading stays bounded. Clients that do not ask for batching get one frame per event, as before.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { EventHub, type ServerEvent } from '../../src/live/index.js';
import type { StoredAlert, StoredFix, UnitSummary } from '../../src/store/index.js';
import { eventText, streamRoutes, type StreamOptions } from '../../src/server/stream.js';
import { postJson, startTestServer, streamUrl, type TestServer } from './helpers.js';

/** The fixture boundary runs along 31°47′ N (31.783859) at lon -106.58. */
const NORTH = 31.7879, SOUTH = 31.7798, LON = -106.58;
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Event = { type: string; fix?: any; alert?: any; unit?: any; events?: Event[] };

/** A stream client that keeps every frame, parsed, with its text; `until` resolves once a condition holds. */
class Frames {
  readonly frames: { text: string; event: Event }[] = [];
  readonly closed: Promise<number>;
  bytes = 0;
  private waiters: { ok: () => boolean; resolve: () => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = String(data);
      this.bytes += text.length;
      this.frames.push({ text, event: JSON.parse(text) as Event });
      this.check();
    });
    this.closed = once(socket, 'close').then(([code]) => {
      this.check();
      return code as number;
    });
  }

  static async open(url: string): Promise<Frames> {
    const frames = new Frames(new WebSocket(url));
    await once(frames.socket, 'open');
    return frames;
  }

  /** Every event received, batches opened, in order. */
  events(): Event[] {
    return this.frames.flatMap(({ event }) => (event.type === 'batch' ? event.events! : [event]));
  }

  until(ok: () => boolean): Promise<void> {
    if (ok()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ok, resolve }));
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => (w.ok() ? (w.resolve(), false) : true));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await once(this.socket, 'close');
  }
}

/** Real events of a real server, to publish again with other units, times and ids. */
interface Templates {
  fix: StoredFix;
  unit: UnitSummary;
  alert: StoredAlert;
}

let server: TestServer;
let templates: Templates;

before(async () => {
  server = await startTestServer({ tickMs: 3_600_000 });
  const seen: ServerEvent[] = [];
  const unsubscribe = server.hub.subscribe((e) => seen.push(e));
  for (const [k, lat] of [NORTH, SOUTH].entries()) {
    const r = await postJson(`${server.base}/api/v1/fixes`, [{ unit: 'template', time: T0 + k * 10_000, lat, lon: LON, accuracy_m: 2 }]);
    assert.equal(r.status, 200);
  }
  unsubscribe();
  const fix = seen.find((e) => e.type === 'fix');
  const unit = seen.find((e) => e.type === 'unit');
  const alert = seen.find((e) => e.type === 'alert' && e.alert.kind === 'crossing');
  assert.ok(fix?.type === 'fix' && unit?.type === 'unit' && alert?.type === 'alert', 'the server published a fix, a unit and a crossing');
  templates = { fix: fix.fix, unit: unit.unit, alert: alert.alert };
});
after(() => server?.stop());

const fixEvent = (unit: string, time: number): ServerEvent => ({ type: 'fix', fix: { ...templates.fix, unit, time } });
const unitEvent = (unit: string, time: number): ServerEvent =>
  ({ type: 'unit', unit: { ...templates.unit, unit, lastFix: { ...templates.fix, unit, time } } });
const alertEvent = (id: number): ServerEvent => ({ type: 'alert', alert: { ...templates.alert, id } });
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** The stream alone, on a free loopback port, fed by a hub the test publishes on. */
async function streamOnly(options: Pick<StreamOptions, 'maxBufferedBytes' | 'batchIntervalMs' | 'behindBytes'>) {
  const hub = new EventHub((e) => { throw e; });
  const app = Fastify();
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  await app.register(streamRoutes, { hub, ...options } as unknown as StreamOptions);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return { hub, url: (query = '') => `ws://127.0.0.1:${port}/stream${query}`, close: () => app.close() };
}

describe('the stream with ?batch=1', () => {
  test('from the real server: fixes and unit summaries in batch frames, the crossing alone; a client without batching as before', async () => {
    const batched = await Frames.open(`${streamUrl(server)}?batch=1`);
    const plain = await Frames.open(streamUrl(server));
    try {
      for (const [k, lat] of [NORTH, SOUTH].entries()) {
        const r = await postJson(`${server.base}/api/v1/fixes`, [{ unit: 'e2e', time: T0 + k * 10_000, lat, lon: LON, accuracy_m: 2 }]);
        assert.equal(r.status, 200);
      }
      const fixesOf = (f: Frames) => f.events().filter((e) => e.type === 'fix' && e.fix.unit === 'e2e');
      const crossing = (f: Frames) => f.events().some((e) => e.type === 'alert' && e.alert.unit === 'e2e' && e.alert.kind === 'crossing');
      for (const f of [batched, plain]) await f.until(() => fixesOf(f).length === 2 && crossing(f));

      for (const { text, event } of batched.frames) {
        assert.ok(event.type === 'batch' || event.type === 'alert', `a batching client gets batches and alerts only (got ${event.type})`);
        if (event.type === 'alert') assert.ok(text.startsWith('{"type":"alert"'), 'an alert frame is the alert alone, as without batching');
        for (const e of event.events ?? []) assert.ok(e.type === 'fix' || e.type === 'unit', `a batch holds fixes and summaries (got ${e.type})`);
      }
      assert.deepEqual(fixesOf(batched).map((e) => e.fix.time_ms), [T0, T0 + 10_000]);
      assert.ok(batched.events().some((e) => e.type === 'unit' && e.unit.unit === 'e2e'), 'unit summaries are in the batches');

      assert.ok(plain.frames.every(({ event }) => event.type !== 'batch'), 'no batch for a client that did not ask');
      const kinds = plain.events().filter((e) => (e.fix ?? e.unit ?? e.alert)?.unit === 'e2e')
        .map((e) => (e.type === 'alert' ? `alert:${e.alert.kind}` : e.type)).filter((k) => k !== 'alert:' && !/^alert:(?!crossing)/.test(k));
      assert.deepEqual(kinds, ['fix', 'unit', 'fix', 'unit', 'alert:crossing'], 'one frame per event, in the order published');
    } finally {
      await batched.close();
      await plain.close();
    }
    const refused = new WebSocket(`${streamUrl(server)}?batch=yes`);
    refused.on('error', () => {}); // terminate() below, before any connection: ws reports it as an error
    const [, response] = await once(refused, 'unexpected-response') as [unknown, { statusCode: number; resume(): void }];
    response.resume();
    refused.terminate();
    assert.equal(response.statusCode, 400, 'batch takes 0 or 1');
  });

  test('an alert published after 500 fixes in the same turn goes out first, alone; the fixes follow in one batch, every one, in order', async () => {
    const stream = await streamOnly({ batchIntervalMs: 50 });
    const client = await Frames.open(stream.url('?batch=1'));
    try {
      const published: string[] = [];
      for (let k = 0; k < 100; k++) {
        for (let u = 0; u < 5; u++) {
          stream.hub.publish(fixEvent(`u${u}`, T0 + k * 1000));
          published.push(`u${u}@${T0 + k * 1000}`);
        }
      }
      stream.hub.publish(alertEvent(1));
      await client.until(() => client.frames.length === 2);
      const [first, second] = client.frames;
      assert.equal(first.event.type, 'alert');
      assert.equal(first.event.alert.id, 1);
      assert.equal(second.event.type, 'batch');
      assert.deepEqual(second.event.events!.map((e) => `${e.fix.unit}@${e.fix.time_ms}`), published, 'nothing folded for a client that keeps up');
    } finally {
      await client.close();
      await stream.close();
    }
  });

  test('alerts among fixes over many turns: every alert, in the order published, and every fix', async () => {
    const stream = await streamOnly({ batchIntervalMs: 5 });
    const client = await Frames.open(stream.url('?batch=1'));
    try {
      for (let k = 0; k < 60; k++) {
        for (let u = 0; u < 20; u++) stream.hub.publish(fixEvent(`u${u}`, T0 + k * 1000));
        stream.hub.publish(alertEvent(k + 1));
        if (k % 3 === 0) await turn();
        if (k % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 6));
      }
      const last = `u19@${T0 + 59_000}`;
      await client.until(() => client.events().some((e) => e.type === 'fix' && `${e.fix.unit}@${e.fix.time_ms}` === last));
      const alerts = client.frames.filter(({ event }) => event.type === 'alert');
      assert.deepEqual(alerts.map(({ event }) => event.alert.id), Array.from({ length: 60 }, (_, k) => k + 1));
      for (let u = 0; u < 20; u++) {
        const times = client.events().filter((e) => e.type === 'fix' && e.fix.unit === `u${u}`).map((e) => e.fix.time_ms);
        assert.deepEqual(times, Array.from({ length: 60 }, (_, k) => T0 + k * 1000), `every fix of u${u}, in order`);
      }
    } finally {
      await client.close();
      await stream.close();
    }
  });

  test('with ack=1 the next batch waits for the client\'s ack, folding meanwhile; alerts do not wait; units=0 leaves summaries out', async () => {
    const stream = await streamOnly({ batchIntervalMs: 5 });
    const client = await Frames.open(stream.url('?batch=1&ack=1&units=0'));
    const fixes = (events: Event[] = []) => events.map((e) => `${e.type}:${e.fix?.unit}@${(e.fix?.time_ms ?? 0) - T0}`);
    try {
      stream.hub.publish(fixEvent('u0', T0 + 1));
      stream.hub.publish(unitEvent('u0', T0 + 1));
      await client.until(() => client.frames.length === 1);
      assert.deepEqual(fixes(client.frames[0].event.events), ['fix:u0@1']);

      // Not acknowledged yet: these wait, each unit's latest kept; a late fix does not replace a newer one.
      for (const [unit, time] of [['u0', 2], ['u1', 1], ['u0', 3], ['u1', 0]] as const) {
        stream.hub.publish(fixEvent(unit, T0 + time));
        stream.hub.publish(unitEvent(unit, T0 + time));
      }
      stream.hub.publish(alertEvent(7));
      await client.until(() => client.frames.length === 2);
      assert.equal(client.frames[1].event.type, 'alert', 'the alert did not wait for the ack');
      assert.equal(client.frames[1].event.alert.id, 7);

      client.socket.send('ack');
      await client.until(() => client.frames.length === 3);
      assert.deepEqual(fixes(client.frames[2].event.events), ['fix:u1@1', 'fix:u0@3'], 'each unit\'s latest, in the order of their latest');
      assert.ok(client.events().every((e) => e.type !== 'unit'), 'no unit events with units=0');
    } finally {
      await client.close();
      await stream.close();
    }
  });

  test('a client that stops reading: held to each unit\'s latest fix and summary, alerts still sent, memory bounded; without batching it is disconnected', async () => {
    const maxBufferedBytes = 1024 * 1024;
    const stream = await streamOnly({ maxBufferedBytes, behindBytes: 64 * 1024, batchIntervalMs: 10 });
    const batched = await Frames.open(stream.url('?batch=1'));
    const plain = await Frames.open(stream.url());
    batched.socket.pause();
    plain.socket.pause();
    try {
      // Far more than the kernel's socket buffers and the limit together: 24 MB, 20 units, an alert now and then.
      const UNITS = 20;
      let publishedBytes = 0;
      let fixes = 0;
      let alerts = 0;
      let round = 0;
      while (publishedBytes < 24 * 1024 * 1024) {
        const time = T0 + round * 1000;
        for (let u = 0; u < UNITS; u++) {
          for (const event of [fixEvent(`u${u}`, time), unitEvent(`u${u}`, time)]) {
            stream.hub.publish(event);
            publishedBytes += eventText(event).length;
          }
          fixes++;
        }
        if (round % 50 === 0) stream.hub.publish(alertEvent(++alerts));
        round++;
        await turn();
        if (round % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 15));
      }
      const latest = T0 + (round - 1) * 1000;
      // Sent late: older than what is held for each unit, so it does not replace it.
      for (let u = 0; u < UNITS; u++) stream.hub.publish(fixEvent(`u${u}`, latest - 500));

      plain.socket.resume();
      batched.socket.resume();
      assert.equal(await plain.closed, 1013, 'without batching, a client that stops reading is told to try again later');

      const lastFix = (u: number) => batched.events().filter((e) => e.type === 'fix' && e.fix.unit === `u${u}`).at(-1)?.fix.time_ms;
      const lastSummary = (u: number) => batched.events().filter((e) => e.type === 'unit' && e.unit.unit === `u${u}`).at(-1)?.unit.last_fix.time_ms;
      await batched.until(() => Array.from({ length: UNITS }, (_, u) => u).every((u) => lastFix(u) === latest && lastSummary(u) === latest));
      assert.equal(batched.socket.readyState, WebSocket.OPEN, 'a batching client is not disconnected for fixes it could not take');
      const received = batched.events().filter((e) => e.type === 'fix').length;
      assert.ok(received < fixes, `folded: ${received} of ${fixes} fixes sent`);
      assert.ok(batched.bytes < publishedBytes / 2, `held to the latest: ${batched.bytes} bytes received of ${publishedBytes} published`);
      const alertIds = batched.frames.filter(({ event }) => event.type === 'alert').map(({ event }) => event.alert.id);
      assert.deepEqual(alertIds, Array.from({ length: alerts }, (_, k) => k + 1), 'every alert, in order');
    } finally {
      await batched.close();
      await plain.close();
      await stream.close();
    }
  });

  test('a batching client that stops reading while alerts keep coming is disconnected once the limit is passed: in order, no gap, never dropped quietly', async () => {
    const stream = await streamOnly({ maxBufferedBytes: 512 * 1024, behindBytes: 64 * 1024, batchIntervalMs: 10 });
    const client = await Frames.open(stream.url('?batch=1'));
    client.socket.pause();
    try {
      let id = 0;
      let bytes = 0;
      while (bytes < 16 * 1024 * 1024) {
        for (let k = 0; k < 50; k++) {
          const event = alertEvent(++id);
          stream.hub.publish(event);
          bytes += eventText(event).length;
          stream.hub.publish(fixEvent('u0', T0 + id));
        }
        await turn();
      }
      client.socket.resume();
      assert.equal(await client.closed, 1013);
      const ids = client.frames.filter(({ event }) => event.type === 'alert').map(({ event }) => event.alert.id);
      assert.ok(ids.length > 0 && ids.length < id, `some alerts (${ids.length} of ${id}) before the disconnection`);
      assert.deepEqual(ids, Array.from({ length: ids.length }, (_, k) => k + 1), 'the alerts received are the first ones, in order, without a gap');
    } finally {
      await client.close();
      await stream.close();
    }
  });
});
