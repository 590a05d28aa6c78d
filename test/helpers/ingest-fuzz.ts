// Seeded ingest fuzz of every device listener and the JSON API: real captures and well-formed inputs,
// mutated (bytes flipped, inserted, cut, spliced; numbers swapped for extreme ones; checksums sometimes
// fixed up so the mutation reaches the range rules), sent to a live server on loopback. Afterwards: the
// server still stores a good fix on every listener (no crash), no HTTP answer was a 5xx, and nothing
// stored is out of range or outside the live time window, and no unit is one of lindero's own markers.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { alertToCot } from '../../src/ingest/index.js';
import { seeded } from './geodesic-oracle.js';
import type { TestServer } from '../server/helpers.js';

export type Listener = 'cot-tcp' | 'cot-udp' | 'nmea-tcp' | 'osmand' | 'json' | 'inreach' | 'owntracks';
export const LISTENERS: Listener[] = ['cot-tcp', 'cot-udp', 'nmea-tcp', 'osmand', 'json', 'inreach', 'owntracks'];

export interface FuzzReport {
  listener: Listener;
  inputs: number;
  /** HTTP answers by status class ('2xx', '4xx', '5xx'), for the HTTP listeners. */
  statuses: Record<string, number>;
  /** The server stored a good fix sent after the fuzz (it is alive and still reads this listener). */
  aliveAfter: boolean;
}

export interface StoreCheck {
  fixes: number;
  /** Stored fixes outside a range or the live time window (must be 0). */
  outOfRange: number;
  /** Units that are lindero's own markers (must be 0). */
  ownMarkers: number;
}

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const EXTREMES = ['0', '-0', '-1', '1e308', '-1e308', '1e-320', 'NaN', 'Infinity', '400', '-108.9', '360', '99999999999999999999', '', '0x10', '9999999', '-91', '181', '1e999', '٣'];

function isoNow(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

/** Gives a capture today's times, so that mutations, not the age, decide its fate. */
function freshen(xml: string): string {
  return xml
    .replace(/\btime=(['"])[^'"]*\1/, `time="${isoNow(-5000)}"`)
    .replace(/\bstart=(['"])[^'"]*\1/, `start="${isoNow(-5000)}"`)
    .replace(/\bstale=(['"])[^'"]*\1/, `stale="${isoNow(600_000)}"`);
}

function cotSeeds(): string[] {
  const names = ['atak-pli.xml', 'itak-pli.xml', 'wintak-pli.xml', 'uastool-drone.xml', 'atak-spot-marker.xml', 'itak-placed-marker.xml', 'itak-drawn-shape.xml', 'atak-geochat.xml',
    'fts-wintak-911-alert.xml', 'fts-atak-911-alert.xml'];
  const near = (xml: string) => xml.replace(/lat=(['"])[^'"]*\1/, 'lat="31.7901"').replace(/lon=(['"])[^'"]*\1/, 'lon="-106.5801"');
  // lindero's own marker, as a TAK server would send it back.
  const own = alertToCot({ id: 7, kind: 'crossing', unit: 'ANDROID-x', name: 'NOVA', time: Date.now() - 5000, lat: 31.7901, lon: -106.5801, remarksEn: 'crossed', remarksEs: 'cruzó' });
  // ATAK's cancel of its 911 alert, which it sends at 0,0: an emergency without a position.
  const cancel = `<event version="2.0" uid="ANDROID-deadbeef-9-1-1" type="b-a-o-can" time="${isoNow(-5000)}" start="${isoNow(-5000)}" stale="${isoNow(5000)}" how="h-e">` +
    '<point lat="0.0" lon="0.0" hae="9999999.0" ce="9999999.0" le="9999999.0"/><detail><emergency cancel="true">JENNY</emergency></detail></event>';
  return [...names.map((n) => near(freshen(fixture(`cot/captures/${n}`).toString('utf8')))), near(freshen(fixture('cot/captures/uastool-no-gps.xml').toString('utf8'))), own, cancel];
}

function nmeaChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

function nmeaSeeds(): string[] {
  const d = new Date();
  const hhmmss = `${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}${String(d.getUTCSeconds()).padStart(2, '0')}.00`;
  const ddmmyy = `${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
  const bodies = [
    `GPRMC,${hhmmss},A,3147.406,N,10634.806,W,2.4,84.4,${ddmmyy},,,A`,
    `GPGGA,${hhmmss},3147.406,N,10634.806,W,1,08,0.9,1131.4,M,-20.9,M,,`,
    'GPGSA,A,3,17,28,06,01,30,20,26,13,,,,,1.8,1.1,1.5',
    `GPGST,${hhmmss},1.2,0.8,0.6,45.0,1.1,0.9,2.0`,
  ];
  const logged = fixture('tracks/gpsd/bu353s4-head.log').toString('utf8').split('\n').filter((l) => l.startsWith('$'));
  return [...bodies.map((b) => `$${b}*${nmeaChecksum(b)}`), ...logged];
}

function osmandSeeds(): string[] {
  const seconds = Math.floor(Date.now() / 1000) - 5;
  const lines = fixture('devices/traccar-osmand-requests.txt').toString('utf8').trim().split('\n').map((l) => l.slice(l.indexOf('?') + 1));
  const fresh = lines.map((l) => l.replace(/timestamp=[^&]*/, `timestamp=${seconds}`).replace(/lat=[^&]*/, 'lat=31.7901').replace(/lon=[^&]*/, 'lon=-106.5801'));
  return [...fresh, `id=osmand-fuzz&lat=31.79&lon=-106.58&timestamp=${seconds * 1000}&hdop=4.0&altitude=1131&speed=1.5&bearing=-108.9`,
    `id=osmand-sos&lat=31.79&lon=-106.58&timestamp=${seconds}&accuracy=6.0&alarm=sos`];
}

function jsonSeeds(): string[] {
  const t = isoNow(-5000);
  return [
    JSON.stringify([{ unit: 'json-fuzz', time: t, lat: 31.7901, lon: -106.5801, accuracy_m: 4, alt_m: 1131, speed_mps: 1.2, course_deg: 251.1 }]),
    JSON.stringify([{ unit: 'json-fuzz-2', time: Date.now() - 5000, lat: 31.78, lon: -106.57 }, { unit: 'json-fuzz-3', time: t, lat: 31.77, lon: -106.56, course_deg: -90, emergency: { state: 'declared', what: 'SOS' } }]),
    JSON.stringify({ device_id: 'traccar-fuzz', location: { timestamp: t, coords: { latitude: 31.79, longitude: -106.58, accuracy: 5, speed: 1, heading: -1, altitude: 1131 } } }),
    JSON.stringify({ device_id: 'traccar-sos', location: { timestamp: t, coords: { latitude: 31.79, longitude: -106.58, accuracy: 5 }, extras: { alarm: 'sos' } } }),
  ];
}

/** Garmin IPC Outbound posts: the real captures, their times made today's and the corridor's positions. */
function inreachSeeds(): string[] {
  const names = ['garmin-example-event', 'garmin-example-free-text', 'garmin-example-binary', 'trailscribe-v4-satellite-position-report', 'trailscribe-sos-declare', 'trailscribe-free-text-no-gps'];
  return names.map((name) => fixture(`devices/inreach/${name}.json`).toString('utf8')
    .replace(/"timeStamp":\s*\d+/g, `"timeStamp": ${Date.now() - 5000}`)
    .replace(/"latitude":\s*[\d.]+/g, '"latitude": 31.7901').replace(/"longitude":\s*-?[\d.]+/g, '"longitude": -106.5801'));
}

/** OwnTracks posts: the real bodies, their times made today's. */
function owntracksSeeds(): string[] {
  const seconds = Math.floor(Date.now() / 1000) - 5;
  return fixture('devices/traccar-owntracks-requests.txt').toString('utf8').trim().split('\n').map((l) => l.replace(/"tst":\d+/, `"tst":${seconds}`));
}

/** One mutation of the text: 1 to 4 edits, some aimed at numbers. */
function mutate(text: string, random: () => number, seeds: string[]): string {
  let s = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(random() * (s.length + 1));
    const r = random();
    if (r < 0.3) {
      // Swap a number for an extreme one.
      const numbers = [...s.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)];
      if (numbers.length > 0) {
        const m = numbers[Math.floor(random() * numbers.length)];
        s = s.slice(0, m.index) + EXTREMES[Math.floor(random() * EXTREMES.length)] + s.slice(m.index! + m[0].length);
      }
    } else if (r < 0.45) s = s.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x250)) + s.slice(at + 1);
    else if (r < 0.6) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 20));
    else if (r < 0.7) s = s.slice(0, at) + s.slice(Math.floor(random() * s.length), Math.floor(random() * s.length) + 30) + s.slice(at);
    else if (r < 0.78) s = s.slice(0, at);
    else if (r < 0.86) {
      const other = seeds[Math.floor(random() * seeds.length)];
      s = s.slice(0, at) + other.slice(Math.floor(random() * other.length));
    } else if (r < 0.92) s = s.slice(0, at) + ['<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '<![CDATA[', '<event>', '\u0000', '\uFFFE', '"', "'", '>', '</event>', '\u00bf'][Math.floor(random() * 11)] + s.slice(at);
    // else: leave it (a well-formed input now and then).
  }
  return s;
}

function pick<T>(items: T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

/** TCP: inputs written back to back on a few connections, then a good input on a fresh one. */
async function fuzzTcp(port: number, inputs: (string | Buffer)[], connections: number): Promise<void> {
  const per = Math.ceil(inputs.length / connections);
  await Promise.all(Array.from({ length: connections }, async (_, c) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('data', () => {});
    await once(socket, 'connect');
    for (const input of inputs.slice(c * per, (c + 1) * per)) if (!socket.write(input)) await once(socket, 'drain');
    socket.end();
    await once(socket, 'close');
  }));
}

async function fuzzUdp(port: number, inputs: Buffer[]): Promise<void> {
  const socket = createSocket('udp4');
  for (let i = 0; i < inputs.length; i++) {
    await new Promise<void>((resolve) => socket.send(inputs[i], port, '127.0.0.1', () => resolve()));
    // Loopback drops datagrams a receiver cannot keep up with: pace them.
    if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  socket.close();
}

async function fuzzHttp(requests: { url: string; init: RequestInit }[], statuses: Record<string, number>, parallel = 16): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < requests.length) {
      const { url, init } = requests[next++];
      let status: number;
      try {
        const r = await fetch(url, init);
        await r.arrayBuffer();
        status = r.status;
      } catch {
        status = 0; // refused or reset before an answer
      }
      const key = status === 0 ? 'no answer' : `${Math.floor(status / 100)}xx`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  }));
}

/** Runs `count` inputs through one listener. */
export async function fuzzListener(server: TestServer, listener: Listener, count: number, seed: number): Promise<FuzzReport> {
  const random = seeded(seed);
  const statuses: Record<string, number> = {};
  if (listener === 'cot-tcp' || listener === 'cot-udp') {
    const seeds = cotSeeds();
    const proto = [fixture('cot/captures/wintak-pli-stream.bin'), fixture('cot/captures/wintak-pli-mesh.bin')];
    const inputs: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      if (random() < 0.15) {
        // Protobuf: flip bytes of a real frame (its times are from 2020: only the rules it meets differ).
        const bytes = Buffer.from(pick(proto, random));
        for (let k = 0; k < 1 + random() * 4; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        inputs.push(bytes);
      } else inputs.push(Buffer.from(mutate(pick(seeds, random), random, seeds), 'utf8'));
    }
    if (listener === 'cot-tcp') await fuzzTcp(server.ports.cotTcp!, inputs, 4);
    else await fuzzUdp(server.ports.cotUdp!, inputs);
  } else if (listener === 'nmea-tcp') {
    const seeds = nmeaSeeds();
    const lines: string[] = ['UNIT nmea-fuzz\r\n'];
    for (let i = 0; i < count; i++) {
      let line = mutate(pick(seeds, random), random, seeds);
      // Half the time the checksum is made right again, so the sentence reaches the range rules.
      const star = line.lastIndexOf('*');
      if (random() < 0.5 && line.startsWith('$') && star > 0) line = `${line.slice(0, star)}*${nmeaChecksum(line.slice(1, star))}`;
      lines.push(`${line}\r\n`);
    }
    await fuzzTcp(server.ports.nmeaTcp!, lines, 1);
  } else if (listener === 'osmand') {
    const seeds = osmandSeeds();
    const base = `http://127.0.0.1:${server.ports.osmand}`;
    const requests = Array.from({ length: count }, () => {
      const query = mutate(pick(seeds, random), random, seeds);
      const r = random();
      if (r < 0.6) return { url: `${base}/?${encodeURI(query).replace(/#/g, '%23')}`, init: {} };
      if (r < 0.8) return { url: `${base}/`, init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: query } };
      const json = jsonSeeds();
      // Traccar Client 9's body, as it posts a position or its SOS (extras {"alarm": "sos"}).
      return { url: `${base}/`, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: mutate(pick(json.slice(2), random), random, json) } };
    });
    await fuzzHttp(requests, statuses);
  } else if (listener === 'owntracks') {
    const seeds = owntracksSeeds();
    const url = `${server.base}/api/v1/owntracks`;
    const requests = Array.from({ length: count }, () => ({
      url, init: { method: 'POST', headers: { 'content-type': 'application/json', 'x-limit-u': 'fuzz', 'x-limit-d': 'phone' }, body: mutate(pick(seeds, random), random, seeds) },
    }));
    await fuzzHttp(requests, statuses);
  } else if (listener === 'inreach') {
    const seeds = inreachSeeds();
    const url = `${server.base}/api/v1/inreach`;
    const requests = Array.from({ length: count }, () => ({
      url, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: mutate(pick(seeds, random), random, seeds) },
    }));
    await fuzzHttp(requests, statuses);
  } else {
    const seeds = jsonSeeds();
    const url = `${server.base}/api/v1/fixes`;
    const requests = Array.from({ length: count }, () => ({
      url, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: mutate(pick(seeds.slice(0, 2), random), random, seeds) },
    }));
    await fuzzHttp(requests, statuses);
  }
  return { listener, inputs: count, statuses, aliveAfter: await storesAGoodFix(server, listener) };
}

/** Sends one good fix to the listener and waits for it to be stored. */
async function storesAGoodFix(server: TestServer, listener: Listener): Promise<boolean> {
  const unit = `alive-${listener}-${Date.now()}`;
  const t = isoNow(-1000);
  const xml = `<event version="2.0" uid="${unit}" type="a-f-G-U-C" how="m-g" time="${t}" start="${t}" stale="${isoNow(60_000)}"><point lat="31.80" lon="-106.60" hae="1131" ce="5" le="9999999"/><detail><contact callsign="ALIVE"/></detail></event>`;
  if (listener === 'cot-tcp') await fuzzTcp(server.ports.cotTcp!, [xml], 1);
  else if (listener === 'cot-udp') await fuzzUdp(server.ports.cotUdp!, [Buffer.from(xml)]);
  else if (listener === 'nmea-tcp') {
    const d = new Date();
    const hhmmss = `${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}${String(d.getUTCSeconds()).padStart(2, '0')}.00`;
    const ddmmyy = `${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
    const body = `GPRMC,${hhmmss},A,3148.000,N,10636.000,W,0.0,0.0,${ddmmyy},,,A`;
    await fuzzTcp(server.ports.nmeaTcp!, [`UNIT ${unit}\r\n$${body}*${nmeaChecksum(body)}\r\n`], 1);
  } else if (listener === 'osmand') {
    await fetch(`http://127.0.0.1:${server.ports.osmand}/?id=${unit}&lat=31.8&lon=-106.6&timestamp=${Math.floor(Date.now() / 1000)}`);
  } else if (listener === 'owntracks') {
    await fetch(`${server.base}/api/v1/owntracks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _type: 'location', topic: unit, lat: 31.8, lon: -106.6, tst: Math.floor(Date.parse(t) / 1000), tid: 'AL' }) });
  } else if (listener === 'inreach') {
    const event = { imei: unit, messageCode: 0, timeStamp: Date.parse(t), point: { latitude: 31.8, longitude: -106.6, altitude: 1131, gpsFix: 2, course: 0, speed: 0 } };
    await fetch(`${server.base}/api/v1/inreach`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Version: '2.0', Events: [event] }) });
  } else {
    await fetch(`${server.base}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ unit, time: t, lat: 31.8, lon: -106.6 }]) });
  }
  // Up to 30 s: after a large fuzz the server may still be working through what it was sent.
  const deadline = Date.now() + 30_000;
  let resentAt = Date.now();
  while (Date.now() < deadline) {
    // UDP may lose a datagram while the server works through a backlog: a sender repeats it (as TAK clients do).
    if (listener === 'cot-udp' && Date.now() - resentAt > 1000) {
      await fuzzUdp(server.ports.cotUdp!, [Buffer.from(xml)]);
      resentAt = Date.now();
    }
    await server.pipeline.settle();
    // Through the API (the unit's own track): a fuzzed server holds more units than one page of /units.
    const r = await fetch(`${server.base}/api/v1/units/${encodeURIComponent(unit)}/track`);
    if (r.ok && ((await r.json()) as { features?: unknown[] }).features?.length) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Reads the store's file directly: every stored fix within the ranges and the live window. */
export function checkStore(server: TestServer): StoreCheck {
  const db = new Database(join(server.dir, 'test.db'), { readonly: true, fileMustExist: true });
  try {
    const fixes = (db.prepare('SELECT count(*) AS n FROM fixes').get() as { n: number }).n;
    const outOfRange = (db.prepare(`SELECT count(*) AS n FROM fixes WHERE
      NOT (lat BETWEEN -90 AND 90) OR NOT (lon BETWEEN -180 AND 180) OR (lat = 0 AND lon = 0)
      OR (accuracy_m IS NOT NULL AND NOT (accuracy_m > 0 AND accuracy_m <= 1000000))
      OR (alt_m IS NOT NULL AND NOT (alt_m BETWEEN -11000 AND 100000))
      OR (speed_mps IS NOT NULL AND NOT (speed_mps BETWEEN 0 AND 1000))
      OR (course_deg IS NOT NULL AND NOT (course_deg >= 0 AND course_deg < 360))
      OR time_ms > received_ms + 600000 OR time_ms < received_ms - 366 * 86400000`).get() as { n: number }).n;
    const ownMarkers = (db.prepare("SELECT count(DISTINCT unit) AS n FROM fixes WHERE unit LIKE 'lindero-%'").get() as { n: number }).n;
    return { fixes, outOfRange, ownMarkers };
  } finally {
    db.close();
  }
}

/** Limits raised so that the fuzz meets the parsers, not the rate limits (those have tests of their own). */
export const FUZZ_LIMITS = {
  httpRequestsPerSecond: 1_000_000,
  osmandRequestsPerSecond: 1_000_000,
  cotUdp: { datagramsPerSecond: 1_000_000 },
  nmea: { linesPerSecond: 1_000_000 },
};
