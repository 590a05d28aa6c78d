// Live server throughput and latency, each against a baseline measured in the same run.
// Run: npm run bench:server   (node --import tsx bench/server.ts [seconds per phase, default 8])
//
//  1. Durable ingest over HTTP: concurrent clients POST batches of 500 fixes to /api/v1/fixes; a fix counts
//     when its batch is acknowledged (after the fsynced commit). Baseline: the same batches inserted by a
//     plain better-sqlite3 loop (WAL, synchronous=FULL, one transaction per batch), no server; and the floor
//     under the store itself: the same batches as the rows lindero's fixes table holds (every column, the
//     determination's JSON, the table's indexes), inserted bare — no events, no evidence chain, no worker.
//  2. Durable ingest over CoT TCP: four TAK-style connections stream PLI events; a fix counts once it is
//     committed (the server's unit counts are polled). Same baseline.
//  3. Fix → alert latency on the WebSocket at 5,000 fixes/s: a fleet of 5,000 units each reporting once a
//     second, forwarded in 10 ms slices (a gateway's batches); ten units walking across the line raise
//     crossings, one of them in each slice; latency = alert event received − its fix's request sent.
//     Baseline: the same paced requests to a bare Fastify app that only parses and answers (HTTP round trip).
//  3b. Phones: OsmAnd / Traccar Client report one fix per HTTP request (a GET with the fix in its query, on
//     the OsmAnd port), each phone on its own connection; 64 phones at once, a fix counts once its request is
//     answered (after the commit). Baseline: the same client and requests against a bare Fastify app that only
//     answers (the HTTP floor of one request per fix).
//  4. The same server on PostgreSQL (bench/server-postgres.ts): one node and two nodes on one database,
//     beside bare node-postgres inserts. BENCH_ONLY=postgres runs it alone; BENCH_POSTGRES=0 leaves it out.
// The server runs in a child process, so client and server do not share a thread: the compiled build as
// `lindero serve` runs it (bench/server-child.mjs; the npm script builds it first), or the TypeScript
// source with BENCH_SOURCE=1.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { postgresBench } from './server-postgres.js';
import { fairness } from './server-fair.js';
import { classify } from '../src/geo/index.js';
import type { Fix } from '../src/model/index.js';
import { loadLayers } from '../src/layers/node.js';
import { openSqliteStore } from '../src/store/index.js';
import { fixParams } from '../src/store/rows.js';
import { INSERT_FIX_SQL } from '../src/store/writers.js';

const BOUNDARY = fileURLToPath(new URL('../test/fixtures/layers/boundary-lines.geojson', import.meta.url));
const FENCE = fileURLToPath(new URL('../test/fixtures/layers/fences.geojson', import.meta.url));
const BATCH = 500;
const SECONDS = Number(process.argv[2] ?? 8) || 8;

interface BenchFix { unit: string; time: number; lat: number; lon: number; accuracy_m: number }

let counter = 0;
const nowBase = Date.now() - 3_600_000;
/** Fixes of 50 units per sender wandering 2–6 km north of the line (no alerts): the bulk of traffic. Each sender reports its own units, as devices do. */
function backgroundFix(sender = 0): BenchFix {
  const k = counter++;
  return { unit: `bg-${sender}-${k % 50}`, time: nowBase + k, lat: 31.81 + (k % 997) * 3e-5, lon: -107.2 + (k % 1009) * 3e-4, accuracy_m: 5 };
}
function batch(n = BATCH, sender = 0): BenchFix[] {
  return Array.from({ length: n }, () => backgroundFix(sender));
}

/** A fleet of FLEET units 2–6 km north of the line, each reporting once a second, as devices do: FLEET fixes/s. */
const FLEET = 5000;
let fleetCounter = 0;
function fleetBatch(n: number): BenchFix[] {
  return Array.from({ length: n }, () => {
    const k = fleetCounter++;
    const unit = k % FLEET;
    return { unit: `fleet-${unit}`, time: nowBase + Math.floor(k / FLEET) * 1000 + (unit % 1000), lat: 31.81 + (unit % 997) * 3e-5, lon: -107.2 + (k % 1009) * 3e-4, accuracy_m: 5 };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** The run's temporary directory (main sets it). */
let benchDir = tmpdir();

// ---- child: the server under test ------------------------------------------------------------------
/** The server's options: every listener the bench does not use is off; rate limits out of the way. */
function serverOptions(db: string, sourceEventsPerSecond = 1_000_000): Record<string, unknown> {
  return {
    host: '127.0.0.1', port: 0, osmandPort: 0, cotUdpPort: null, nmeaPort: null, cotPort: 0, db, boundaryFile: BOUNDARY, fenceFile: FENCE,
    // A PostgreSQL store's evidence key goes to the run's directory, not the working directory.
    dbFiles: join(benchDir, 'pg'),
    tickMs: 3_600_000, storeInWorker: process.env.BENCH_STORE_IN_WORKER !== '0',
    limits: { httpRequestsPerSecond: 1_000_000, osmandRequestsPerSecond: 1_000_000, cot: { eventsPerSecond: 1_000_000, maxPendingFixes: 50_000 }, sourceEventsPerSecond },
  };
}

/**
 * Starts the server in a child process: the compiled build, as `lindero serve` runs (bench/server-child.mjs),
 * or with BENCH_SOURCE=1 the TypeScript source through tsx.
 */
export async function startChild(db: string, sourceEventsPerSecond?: number): Promise<{ proc: ChildProcess; http: number; cot: number; osmand: number }> {
  const flags = process.env.BENCH_CHILD_FLAGS?.split(' ').filter(Boolean) ?? [];
  const args = process.env.BENCH_SOURCE === '1'
    ? [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(serverOptions(db, sourceEventsPerSecond))]
    : [...flags, fileURLToPath(new URL('./server-child.mjs', import.meta.url)), JSON.stringify(serverOptions(db, sourceEventsPerSecond))];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (process.env.BENCH_CHILD_STDOUT) proc.stdout!.pipe(createWriteStream(process.env.BENCH_CHILD_STDOUT));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    // The ports are the first line that is JSON (V8 flags such as --trace-gc also write to stdout).
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l, i, all) => i < all.length - 1 && l.startsWith('{'));
      if (line) resolve(line);
    });
    proc.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const ports = JSON.parse(line) as { http: number; cotTcp: number; osmand: number };
  return { proc, http: ports.http, cot: ports.cotTcp, osmand: ports.osmand };
}

/** The child of BENCH_SOURCE=1: the server from the TypeScript source. */
async function child(options: string): Promise<void> {
  const { startServer } = await import('../src/server/index.js');
  const server = await startServer(JSON.parse(options) as Parameters<typeof startServer>[0]);
  process.stdout.write(JSON.stringify(server.ports) + '\n');
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

export async function stopChild(proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
}

// ---- CPU per thread (Linux /proc), to see which thread a phase keeps busy --------------------------
/** CPU seconds used so far by each thread of a process, by thread id. */
function threadCpu(pid: number): Map<string, { name: string; seconds: number }> {
  const threads = new Map<string, { name: string; seconds: number }>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, { name: tid === String(pid) ? 'main' : `${name} ${tid}`, seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    }
  } catch {
    // Not Linux, or the process is gone: no per-thread figures.
  }
  return threads;
}

/** Runs a phase and reports where the server's CPU went: its busiest threads, and this client's CPU. */
async function withCpu<T>(pid: number, phase: () => Promise<T>, fixes: (result: T) => number): Promise<T> {
  const before = threadCpu(pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await phase();
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const after = threadCpu(pid);
  if (after.size === 0) return result;
  const used = [...after].map(([tid, t]) => ({ name: t.name, seconds: t.seconds - (before.get(tid)?.seconds ?? 0) })).filter((t) => t.seconds > 0.05)
    .sort((a, b) => b.seconds - a.seconds);
  const total = used.reduce((sum, t) => sum + t.seconds, 0);
  const n = fixes(result) * seconds;
  const share = (s: number) => `${Math.round((100 * s) / seconds)} %`;
  console.log(`        CPU over ${seconds.toFixed(1)} s: server ${share(total)} of a core (${used.slice(0, 4).map((t) => `${t.name} ${share(t.seconds)}`).join(', ')}), `
    + `client ${share((client.user + client.system) / 1e6)}; server ${Math.round((total * 1e6) / n)} µs per fix`);
  return result;
}

// ---- 1 and baseline: durable inserts -------------------------------------------------------------
/** A plain better-sqlite3 file as the store opens its own (WAL, synchronous=FULL), and a durable insert of a batch. */
function plainFixesDb(file: string): { db: Database.Database; insertBatch: (fixes: BenchFix[]) => void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE fixes (id INTEGER PRIMARY KEY, unit TEXT, time_ms REAL, lat REAL, lon REAL, accuracy_m REAL, UNIQUE (unit, time_ms, lat, lon))');
  const insert = db.prepare('INSERT OR IGNORE INTO fixes (unit, time_ms, lat, lon, accuracy_m) VALUES (?, ?, ?, ?, ?)');
  return { db, insertBatch: db.transaction((fixes: BenchFix[]) => { for (const f of fixes) insert.run(f.unit, f.time, f.lat, f.lon, f.accuracy_m); }) };
}

function baselineInsertsPerSecond(dir: string): number {
  const { db, insertBatch } = plainFixesDb(join(dir, 'baseline.db'));
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() < end) {
    const fixes = JSON.parse(JSON.stringify(batch())) as BenchFix[];
    insertBatch(fixes);
    n += fixes.length;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

/**
 * The store's own fixes table (made by opening a store), the same batches inserted as the rows the store writes: every column, the determination
 * (classified beforehand, with the server's layers) as its JSON, the table's four b-trees. Only the inserts
 * and their durable commits are timed: what a row a fix costs on this disk before anything else the store does.
 */
async function rowShapedInsertsPerSecond(dir: string): Promise<number> {
  const file = join(dir, 'row-shaped.db');
  await (await openSqliteStore(file)).close();
  const layers = await loadLayers(BOUNDARY, FENCE);
  const db = new Database(file);
  db.pragma('synchronous = FULL');
  // No events rows here, so their foreign key is not checked (better-sqlite3 turns foreign keys on).
  db.pragma('foreign_keys = OFF');
  // The store's own statement and row encoding (writers.ts, rows.ts).
  const insert = db.prepare(INSERT_FIX_SQL);
  type Row = unknown[];
  const insertBatch = db.transaction((rows: Row[]) => { for (const r of rows) insert.run(...r); });
  let seq = 0, n = 0, insertMs = 0;
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const rows = batch().map((f): Row => {
      const fix: Fix = { unit: f.unit, time: f.time, lat: f.lat, lon: f.lon, accuracyM: f.accuracy_m, source: 'json' };
      return [++seq, ...fixParams(fix, classify(fix, layers), Date.now(), false)];
    });
    const t0 = performance.now();
    insertBatch(rows);
    insertMs += performance.now() - t0;
    n += rows.length;
  }
  db.close();
  return n / (insertMs / 1000);
}

/**
 * The floor under the alert latency: what one durable commit takes on this disk, alone. Plain better-sqlite3
 * (WAL, synchronous=FULL, as the store), a commit of 50 fixes every 10 ms (5,000 fixes/s, as the latency
 * phase offers), for the phase's length; each commit timed.
 */
async function commitTimes(dir: string): Promise<number[]> {
  const { db, insertBatch } = plainFixesDb(join(dir, 'commit-floor.db'));
  const times: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const fixes = batch(50);
    const t0 = performance.now();
    insertBatch(fixes);
    times.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10 - (performance.now() - t0))));
  }
  db.close();
  return times.sort((a, b) => a - b);
}

async function httpIngestPerSecond(http: number, clients: number, senderBase = 0): Promise<number> {
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, k) => {
    const sender = senderBase + k;
    while (performance.now() < end) {
      const r = await fetch(`http://127.0.0.1:${http}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch(BATCH, sender)) });
      const body = await r.json() as { accepted: number };
      n += body.accepted;
    }
  }));
  return n / ((performance.now() - t0) / 1000);
}

// ---- 2: CoT over TCP ---------------------------------------------------------------------------
function pli(f: BenchFix): string {
  const t = new Date(f.time).toISOString();
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><event version="2.0" uid="${f.unit}" type="a-f-G-U-C" time="${t}" start="${t}" stale="${t}" how="m-g"><point lat="${f.lat}" lon="${f.lon}" hae="1122.4" ce="${f.accuracy_m}" le="9999999.0"/><detail><contact callsign="${f.unit}"/><track course="90" speed="1.3"/></detail></event>`;
}

async function storedCount(http: number): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${http}/api/v1/units`);
  const body = await r.json() as { units: { unit: string; fix_count: number }[] };
  return body.units.filter((u) => u.unit.startsWith('cot-')).reduce((s, u) => s + u.fix_count, 0);
}

async function cotIngestPerSecond(http: number, cot: number, connections: number, perConnection: number): Promise<number> {
  const payloads = Array.from({ length: connections }, (_, c) => Buffer.from(Array.from({ length: perConnection }, () => {
    const f = backgroundFix(c);
    return pli({ ...f, unit: `cot-${f.unit}` });
  }).join('')));
  const total = connections * perConnection;
  const t0 = performance.now();
  await Promise.all(payloads.map((payload) => new Promise<void>((resolve, reject) => {
    const socket = connect(cot, '127.0.0.1', () => socket.end(payload, () => resolve()));
    socket.on('error', reject);
  })));
  while ((await storedCount(http)) < total) await new Promise((r) => setTimeout(r, 50));
  return total / ((performance.now() - t0) / 1000);
}

// ---- 3b: phones, one fix per request ------------------------------------------------------------
/**
 * Requests answered per second when `phones` clients each send one request at a time for SECONDS, every one on
 * its own kept-alive connection (node:http, lighter than fetch, so the client takes less of the two cores).
 * `path(phone, k)` is the k-th request of a phone.
 */
async function requestsPerSecond(port: number, phones: number, path: (phone: number, k: number) => string): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: phones });
  const get = (p: string) => new Promise<void>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${p}: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: phones }, async (_, phone) => {
    for (let k = 0; performance.now() < end; k++) {
      await get(path(phone, k));
      n += 1;
    }
  }));
  const rate = n / ((performance.now() - t0) / 1000);
  agent.destroy();
  return rate;
}

/** The k-th report of a phone as OsmAnd sends it (`/?id=…&lat=…&lon=…&timestamp=…&hdop=…&altitude=…&speed=…`), 2–6 km north of the line. */
function osmandPath(phone: number, k: number): string {
  const lat = (31.81 + (phone % 997) * 3e-5 + (k % 100) * 1e-5).toFixed(6);
  const lon = (-107.2 + (phone % 1009) * 3e-4).toFixed(6);
  return `/?id=phone-${phone}&lat=${lat}&lon=${lon}&timestamp=${Math.floor(nowBase / 1000) + k}&hdop=1.2&altitude=1190.5&speed=0.8`;
}

/**
 * Phase 3b: the server's OsmAnd port, and a bare Fastify app that only answers, with the same client. The bare
 * app runs in a process of its own, as the server does, so that it does not share this client's thread.
 */
async function phones(server: { proc: ChildProcess; osmand: number }): Promise<void> {
  const PHONES = 64;
  const rate = await withCpu(server.proc.pid!, () => requestsPerSecond(server.osmand, PHONES, osmandPath), (r) => r);
  const script = `import Fastify from 'fastify'; const app = Fastify(); app.get('/*', async () => '');
    await app.listen({ host: '127.0.0.1', port: 0 }); process.stdout.write(app.server.address().port + '\\n');`;
  const bareProc = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
  const barePort = await new Promise<number>((resolve, reject) => {
    bareProc.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(Number(d.trim())));
    bareProc.on('exit', (code) => reject(new Error(`the bare Fastify app exited with ${code}`)));
  });
  const bare = await requestsPerSecond(barePort, PHONES, osmandPath);
  bareProc.kill('SIGKILL');
  console.log(`server: phones (OsmAnd GET, one fix a request), ${PHONES} at once, acked ${Math.round(rate)} fixes/s   `
    + `(bare Fastify answering the same requests: ${Math.round(bare)}/s; ratio ${(rate / bare).toFixed(2)})`);
}

// ---- 3: fix → alert latency -----------------------------------------------------------------------
/** Units that cross the line on every fix (300 m north, 300 m south), raising a crossing each time. */
function crosserFix(unit: number, step: number, timeMs: number): BenchFix {
  const north = step % 2 === 0;
  return { unit: `crosser-${unit}`, time: timeMs, lat: 31.783333 + (north ? 0.0027 : -0.0027), lon: -107.9 + unit * 0.02, accuracy_m: 3 };
}

/** The paced sender's slice, ms. */
const SLICE_MS = 10;

/**
 * Sends fixes in 10 ms slices at the rate, with at most 64 requests in flight; returns the rate achieved.
 * The crossers' steps are numbered from `firstSlice`, so a run that follows another continues their walks.
 */
async function paced(ratePerSecond: number, send: (fixes: BenchFix[], sentMs: number) => Promise<void>, withCrossers: boolean, seconds = SECONDS, firstSlice = 0): Promise<number> {
  const perSlice = Math.round((ratePerSecond * SLICE_MS) / 1000);
  const slices = Math.round((seconds * 1000) / SLICE_MS);
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const t0 = performance.now();
  for (let s = 0; s < slices; s++) {
    const wait = t0 + s * SLICE_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // A server slower than the rate gets fewer requests at once, not an ever longer queue.
    while (inFlight.size >= 64) await Promise.race(inFlight);
    const fixes = fleetBatch(perSlice);
    // Ten crossers, each taking a step every 100 ms in its own slice (devices do not report in step):
    // 100 crossings per second, each in a different request, so each alert is a sample of its own.
    if (withCrossers) fixes[0] = crosserFix((firstSlice + s) % 10, Math.floor((firstSlice + s) / 10), nowBase + (firstSlice + s) * 1000);
    const request = send(fixes, Date.now()).finally(() => inFlight.delete(request));
    inFlight.add(request);
    sent += fixes.length;
  }
  await Promise.all(inFlight);
  return sent / ((performance.now() - t0) / 1000);
}

async function alertLatencies(http: number, ratePerSecond: number): Promise<{ latencies: number[]; cold: number[]; rate: number; acks: number[]; toReceived: number[]; fromReceived: number[] }> {
  const post = (fixes: BenchFix[]) => fetch(`http://127.0.0.1:${http}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixes) }).then((r) => r.arrayBuffer());
  const sentAt = new Map<string, number>();
  /** Sends a slice, remembering when each crosser's fix went. */
  const send = async (fixes: BenchFix[], sentMs: number) => {
    for (const f of fixes) if (f.unit.startsWith('crosser-')) sentAt.set(`${f.unit}@${f.time}`, sentMs);
    await post(fixes);
  };
  /** The warm-up's alerts (a server just started) go to `cold`; once measuring, to the rest. */
  let measuring = false;
  const cold: number[] = [];
  const latencies: number[] = [];
  const toReceived: number[] = [];
  const fromReceived: number[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${http}/api/v1/stream`);
  await new Promise((resolve) => ws.on('open', resolve));
  ws.on('message', (data) => {
    const text = String(data);
    if (!text.startsWith('{"type":"alert"')) return;
    const alert = (JSON.parse(text) as { alert: { unit: string; time_ms: number; kind: string; received_ms: number } }).alert;
    const sent = sentAt.get(`${alert.unit}@${alert.time_ms}`);
    if (sent === undefined || alert.kind !== 'crossing') return;
    const now = Date.now();
    if (!measuring) {
      cold.push(now - sent);
      return;
    }
    latencies.push(now - sent);
    // The store stamps a fix (received_ms, the same clock) as its write runs in the commit's transaction:
    // before, the request's way in, checks, classification and the wait for that commit; after, the rest of
    // the commit (the other writes, the fsync), the rules and the way out to this client.
    toReceived.push(alert.received_ms - sent);
    fromReceived.push(now - alert.received_ms);
  });
  // Two seconds at the same rate first, not measured, with the crossers and this client already watching:
  // every unit of the fleet has reported once and the crossers have raised alerts and opened their
  // incidents, as on a server that has been running, and the code of every step of the way is warm. (Without
  // the crossers here, the first alerts measured took 30–50 ms each: the alert path's code running for the
  // first time, and the first incidents opened — a server's start, not its steady state.)
  const warmUpSeconds = 2;
  await paced(ratePerSecond, send, true, warmUpSeconds);
  await new Promise((r) => setTimeout(r, 200));
  measuring = true;
  const acks: number[] = [];
  const rate = await paced(ratePerSecond, async (fixes, sentMs) => {
    await send(fixes, sentMs);
    acks.push(Date.now() - sentMs);
  }, true, SECONDS, (warmUpSeconds * 1000) / SLICE_MS);
  await new Promise((r) => setTimeout(r, 500));
  ws.close();
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  return { latencies: sorted(latencies), cold: cold.slice(0, 100), rate, acks: sorted(acks), toReceived: sorted(toReceived), fromReceived: sorted(fromReceived) };
}

async function echoLatencies(ratePerSecond: number): Promise<number[]> {
  const app = Fastify();
  app.post('/api/v1/fixes', async (request) => ({ accepted: (request.body as unknown[]).length, rejected: [] }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const latencies: number[] = [];
  await paced(ratePerSecond, async (fixes) => {
    const t = Date.now();
    await fetch(`http://127.0.0.1:${port}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixes) }).then((r) => r.arrayBuffer());
    latencies.push(Date.now() - t);
  }, false);
  await app.close();
  return latencies.sort((a, b) => a - b);
}

/** Part 4: the PostgreSQL node(s); `sqliteHttp` is the SQLite node's HTTP rate of this run (null: not measured), for the ratio. */
function runPostgres(sqliteHttp: number | null): Promise<void> {
  return postgresBench({
    seconds: SECONDS, batchSize: BATCH, batch, startChild, stopChild, httpIngestPerSecond, cotIngestPerSecond, withCpu,
  }, sqliteHttp);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lindero-bench-server-'));
  benchDir = dir;
  try {
    const baseline = baselineInsertsPerSecond(dir);
    console.log(`baseline: plain better-sqlite3, batches of ${BATCH}, durable     ${Math.round(baseline)} fixes/s`);
    const server = await startChild(join(dir, 'server.db'));
    process.on('exit', () => server.proc.kill('SIGKILL'));
    // BENCH_ONLY=http, cot, phones, fair or latency runs that part alone (for profiling it).
    const only = process.env.BENCH_ONLY;
    let http = 20_000;
    let rowShaped = NaN;
    if (!only || only === 'http' || only === 'cot') {
      rowShaped = await rowShapedInsertsPerSecond(dir);
      console.log(`floor: the same batches as lindero's fix rows (every column, the determination, the table's indexes), bare inserts, durable   ${Math.round(rowShaped)} fixes/s ` +
        `(${(1e6 / rowShaped).toFixed(1)} µs a fix; no events, no evidence chain, no worker)`);
    }
    if (only === 'postgres') {
      await stopChild(server.proc);
      await runPostgres(null);
      return;
    }
    if (!only || only === 'http') {
      http = await withCpu(server.proc.pid!, () => httpIngestPerSecond(server.http, 4), (r) => r);
      console.log(`server: HTTP POST /api/v1/fixes, 4 clients × ${BATCH}/batch, acked ${Math.round(http)} fixes/s   (${(http / baseline).toFixed(2)} × baseline, ${(http / rowShaped).toFixed(2)} × the row floor; target ≥ 100,000)`);
    }
    if (!only || only === 'cot') {
      const cot = await withCpu(server.proc.pid!, () => cotIngestPerSecond(server.http, server.cot, 4, Math.max(5000, Math.round(http * SECONDS / 4))), (r) => r);
      console.log(`server: CoT TCP, 4 connections, committed        ${Math.round(cot)} fixes/s   (${(cot / baseline).toFixed(2)} × baseline, ${(cot / rowShaped).toFixed(2)} × the row floor; target ≥ 100,000)`);
    }
    if (!only || only === 'phones') await phones(server);
    if (!only || only === 'fair') await fairness({ dir, seconds: SECONDS, startChild, stopChild });
    if (only && only !== 'latency') {
      await stopChild(server.proc);
      return;
    }
    const { latencies: alerts, cold, rate, acks, toReceived, fromReceived } = await alertLatencies(server.http, 5000);
    const echo = await echoLatencies(5000);
    const commits = await commitTimes(dir);
    const p = (xs: number[], q: number) => percentile(xs, q);
    console.log(`server: durable acknowledgement of those requests:             p50 ${p(acks, 50)} ms, p99 ${p(acks, 99)} ms over ${acks.length} requests`);
    console.log(`server: fix → crossing alert on the WebSocket at ${Math.round(rate)} fixes/s offered (5,000 asked): p50 ${p(alerts, 50)} ms, p99 ${p(alerts, 99)} ms over ${alerts.length} alerts (target p99 ≤ 20 ms at 5,000/s)`);
    console.log(`        of which until its write ran in the store's commit: p50 ${p(toReceived, 50)} ms, p99 ${p(toReceived, 99)} ms; from then to the alert here: p50 ${p(fromReceived, 50)} ms, p99 ${p(fromReceived, 99)} ms`);
    const firstTen = cold.slice(0, 10);
    console.log(`        not in those: the server's first ${cold.length} alerts after its start, in the warm-up, took p50 ${p(cold.slice().sort((a, b) => a - b), 50)} ms; the first ten ${firstTen.join(', ')} ms`);
    console.log(`baseline: bare Fastify echo of the same requests:               p50 ${p(echo, 50)} ms, p99 ${p(echo, 99)} ms   (ratio p50 ${(p(alerts, 50) / Math.max(1, p(echo, 50))).toFixed(1)}, p99 ${(p(alerts, 99) / Math.max(1, p(echo, 99))).toFixed(1)})`);
    const ms = (q: number) => percentile(commits, q).toFixed(1);
    console.log(`floor: one durable commit of 50 fixes on this disk, alone (plain better-sqlite3, 100 a second): p50 ${ms(50)} ms, p99 ${ms(99)} ms, worst ${commits.at(-1)!.toFixed(1)} ms over ${commits.length} commits`);
    await stopChild(server.proc);
    if (process.env.BENCH_POSTGRES !== '0') await runPostgres(http);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') void child(process.argv[3]);
else void main();
