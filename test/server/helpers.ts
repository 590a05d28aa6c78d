// Shared by the server's end-to-end tests: a server on free loopback ports with the fixture layers,
// a WebSocket stream reader, raw TCP and UDP clients, and device messages with current times.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { command as deviceCommand } from '../../src/cli/device.js';
import type { CommandIo } from '../../src/cli/io.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';
import { startServerInTempDir } from '../helpers/server.js';

export const BOUNDARY_FILE = fileURLToPath(new URL('../fixtures/layers/boundary-lines.geojson', import.meta.url));
export const FENCE_FILE = fileURLToPath(new URL('../fixtures/layers/fences.geojson', import.meta.url));

export interface TestServer extends RunningServer {
  base: string;
  dir: string;
  stop(): Promise<void>;
}

/** A server on 127.0.0.1 with every listener on a free port, a fresh store, and the fixture boundary and fence. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const started = await startServerInTempDir('lindero-server-', 'test.db', {
    osmandPort: 0, cotPort: 0, cotUdpPort: 0, nmeaPort: 0, boundaryFile: BOUNDARY_FILE, fenceFile: FENCE_FILE, ...options,
  });
  return Object.assign(started.server, { base: started.origin, dir: started.dir, stop: () => started.close() });
}

export type StreamEvent = { type: 'fix' | 'alert' | 'unit'; fix?: any; alert?: any; unit?: any };

/** Reads the WebSocket stream; waitFor() resolves with the first event (seen or to come) that matches. */
export class StreamReader {
  readonly events: StreamEvent[] = [];
  private waiters: { match: (e: StreamEvent) => boolean; resolve: (e: StreamEvent) => void }[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const event = JSON.parse(String(data)) as StreamEvent;
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<StreamReader> {
    const socket = new WebSocket(url, { headers });
    const reader = new StreamReader(socket);
    await once(socket, 'open');
    return reader;
  }

  waitFor(match: (e: StreamEvent) => boolean): Promise<StreamEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await once(this.socket, 'close');
  }
}

export function streamUrl(server: TestServer): string {
  return `ws://127.0.0.1:${server.ports.http}/api/v1/stream`;
}

export const isFixOf = (unit: string) => (e: StreamEvent) => e.type === 'fix' && e.fix.unit === unit;

/** Opens a TCP connection to a port on 127.0.0.1; the received text accumulates in `received()`. */
export async function tcpClient(port: number): Promise<{ socket: Socket; received: () => string; waitForText: (text: string) => Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  socket.on('data', (d: Buffer) => {
    text += d.toString('utf8');
    for (const w of waiters.splice(0)) if (text.includes(w.text)) w.resolve(); else waiters.push(w);
  });
  socket.on('error', () => {});
  return {
    socket,
    received: () => text,
    waitForText: (wanted) => (text.includes(wanted) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text: wanted, resolve }))),
  };
}

export async function write(socket: Socket, data: string | Buffer): Promise<void> {
  if (!socket.write(data)) await once(socket, 'drain');
}

/** Resolves when the server has closed the connection. */
export function closedByServer(socket: Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : once(socket, 'close').then(() => undefined);
}

export async function sendUdp(port: number, message: Buffer | string): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.send(message, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  socket.close();
}

/** An ATAK position report (PLI) as ATAK 5 writes it, at the given time. */
export function atakPli(uid: string, lat: number, lon: number, timeMs: number, ce = 4.9): string {
  const time = new Date(timeMs).toISOString();
  const stale = new Date(timeMs + 375_000).toISOString();
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<event version="2.0" uid="${uid}" type="a-f-G-U-C" time="${time}" start="${time}" stale="${stale}" how="m-g">` +
    `<point lat="${lat}" lon="${lon}" hae="1122.417" ce="${ce}" le="9999999.0"/><detail><takv os="34" version="5.1.0.13" device="SAMSUNG SM-S918U" platform="ATAK-CIV"/>` +
    `<contact endpoint="*:-1:stcp" callsign="COYOTE-3 Ñandú"/><__group role="Team Lead" name="Cyan"/><status battery="81"/><track course="252.7" speed="1.34"/></detail></event>`;
}

/** "$GPRMC..." with its checksum, NMEA 0183 §5.3 (XOR of the characters between $ and *). */
export function nmea(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

function ddmm(value: number, degreeDigits: number): string {
  const abs = Math.abs(value);
  const deg = Math.floor(abs);
  const min = (abs - deg) * 60;
  return `${String(deg).padStart(degreeDigits, '0')}${min.toFixed(4).padStart(7, '0')}`;
}

/** One epoch from a receiver: RMC and GGA for a position at a time (UTC). */
export function nmeaEpoch(lat: number, lon: number, timeMs: number, hdop = 0.9): string[] {
  const d = new Date(timeMs);
  const hh = (n: number) => String(n).padStart(2, '0');
  const tod = `${hh(d.getUTCHours())}${hh(d.getUTCMinutes())}${hh(d.getUTCSeconds())}.00`;
  const date = `${hh(d.getUTCDate())}${hh(d.getUTCMonth() + 1)}${String(d.getUTCFullYear()).slice(2)}`;
  const la = `${ddmm(lat, 2)},${lat >= 0 ? 'N' : 'S'}`;
  const lo = `${ddmm(lon, 3)},${lon >= 0 ? 'E' : 'W'}`;
  return [
    nmea(`GNRMC,${tod},A,${la},${lo},0.6,170.5,${date},,,A`),
    nmea(`GNGGA,${tod},${la},${lo},1,09,${hdop},1130.2,M,-23.1,M,,`),
  ];
}

/** Current time rounded down to a whole second (NMEA and many devices report whole seconds). */
export function wholeSecondsAgo(seconds: number): number {
  return Math.floor(Date.now() / 1000) * 1000 - seconds * 1000;
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { headers });
  return { status: r.status, body: await r.json() };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

/** Waits until the unit is stored: the listener has read everything sent before it on the same path. */
export async function waitForUnit(s: TestServer, unit: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    await s.pipeline.settle();
    const units = (await getJson(`${s.base}/api/v1/units`)).body.units as { unit: string }[];
    if (units.some((u) => u.unit === unit)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`${unit} was never stored`);
}

/**
 * A server beyond loopback (on 0.0.0.0, reached through 127.0.0.1) with the fixture layers and one device
 * enrolled by `lindero device add NAME --unit …` for `units`: its token, and a stop that removes the files.
 */
export async function startWithDevice(name: string, units: string[]): Promise<{ server: RunningServer; token: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `lindero-${name}-`));
  const db = join(dir, 'devices.db');
  let out = '';
  const io: CommandIo = { stdin: new PassThrough(), out: (t) => (out += t), err: () => {}, write: async (t) => void (out += t) };
  assert.equal(await deviceCommand(['add', name, ...units.flatMap((u) => ['--unit', u]), '--json', '--db', db], io), 0);
  const server = await startServer({ host: '0.0.0.0', port: 0, osmandPort: null, nmeaPort: null, cotTlsPort: null, db, boundaryFile: BOUNDARY_FILE, fenceFile: FENCE_FILE });
  const stop = async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { server, token: (JSON.parse(out) as { token: string }).token, stop };
}
