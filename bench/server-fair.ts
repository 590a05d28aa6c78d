// Fair under load: a lone client's durable acknowledgement (POST /api/v1/fixes, one fix every 20 ms,
// from 127.0.0.2) while four CoT connections from 127.0.0.1 send as fast as they can. Three
// measurements in the same run: the lone client alone; with the flood and the per-source budget
// (the server's default); with the flood and the budget out of the way (as before it existed).
// Traffic stays on loopback (127.0.0.0/8).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Child = { proc: ChildProcess; http: number; cot: number };
export interface FairnessDeps {
  dir: string;
  seconds: number;
  startChild(db: string, sourceEventsPerSecond?: number): Promise<Child>;
  stopChild(proc: ChildProcess): Promise<void>;
}

const LONE_ADDRESS = '127.0.0.2';
const base = Date.now() - 1_800_000;

/** The flood, in a child process (bench/flood-child.mjs); stop() gives the events it wrote. */
function flood(cotPort: number): { stop(): Promise<number> } {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./flood-child.mjs', import.meta.url)), String(cotPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  const exited = once(child, 'exit');
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return Number(out.trim()) || 0;
    },
  };
}

function postFrom(port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, localAddress: LONE_ADDRESS, method: 'POST', path: '/api/v1/fixes', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The lone client: one fix every 20 ms for `seconds`; each acknowledgement's time, ms, sorted. */
async function lone(http: number, seconds: number, tag: string): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let k = 0;
  while (performance.now() < end) {
    const t0 = performance.now();
    const fix = { unit: `lone-${tag}`, time: base + k++ * 1000, lat: 31.82, lon: -107.1, accuracy_m: 5 };
    const status = await postFrom(http, JSON.stringify([fix]));
    if (status !== 200) throw new Error(`lone client answered ${status}`);
    latencies.push(performance.now() - t0);
    const wait = 20 - (performance.now() - t0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return latencies.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);
const line = (label: string, xs: number[]) => `${label} p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms over ${xs.length} requests`;

export async function fairness(deps: FairnessDeps): Promise<void> {
  const runs: [string, number][] = [['per-source budget on (the default, 5,000 events/s)', 5000], ['per-source budget off', 1_000_000]];
  for (const [label, budget] of runs) {
    const server = await deps.startChild(join(deps.dir, `fair-${budget}.db`), budget);
    try {
      const alone = await lone(server.http, Math.min(deps.seconds, 5), 'alone');
      const f = flood(server.cot);
      await new Promise((r) => setTimeout(r, 500));
      const flooded = await lone(server.http, deps.seconds, 'flooded');
      const sent = await f.stop();
      console.log(`fair: ${label}`);
      console.log(`fair:   ${line('lone client alone:                    ', alone)}`);
      console.log(`fair:   ${line('lone client beside a 4-connection flood:', flooded)}   (flood offered ${Math.round(sent / deps.seconds)} events/s; target p99 ≤ ~100 ms)`);
    } finally {
      await deps.stopChild(server.proc);
    }
  }
}
