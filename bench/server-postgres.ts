// The PostgreSQL part of bench/server.ts: a throwaway cluster on this machine (a Unix socket, fsync and
// synchronous_commit on, as a production server runs), and in the same run:
//  - baseline: bare node-postgres inserts of the same batches (one INSERT … SELECT FROM unnest(…) ON
//    CONFLICT DO NOTHING per batch, its own transaction, four connections at once), no server;
//  - one node: `lindero serve --db postgresql://…`, the same HTTP and CoT phases as the SQLite node;
//  - two nodes on the same database, two HTTP clients each: the total, and what limits it.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { startPgCluster } from '../test/helpers/postgres.js';

interface BenchFix { unit: string; time: number; lat: number; lon: number; accuracy_m: number }

export interface PostgresBenchDeps {
  seconds: number;
  batchSize: number;
  batch(n: number, sender: number): BenchFix[];
  startChild(db: string): Promise<{ proc: ChildProcess; http: number; cot: number }>;
  stopChild(proc: ChildProcess): Promise<void>;
  httpIngestPerSecond(http: number, clients: number, senderBase?: number): Promise<number>;
  cotIngestPerSecond(http: number, cot: number, connections: number, perConnection: number): Promise<number>;
  withCpu<T>(pid: number, phase: () => Promise<T>, fixes: (result: T) => number): Promise<T>;
}

async function bareInsertsPerSecond(url: string, deps: PostgresBenchDeps, connections: number): Promise<number> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query('CREATE TABLE fixes (id BIGSERIAL PRIMARY KEY, unit TEXT, time_ms FLOAT8, lat FLOAT8, lon FLOAT8, accuracy_m FLOAT8, UNIQUE (unit, time_ms, lat, lon))');
  await setup.end();
  const end = performance.now() + deps.seconds * 1000;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, async (_, sender) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    while (performance.now() < end) {
      const fixes = JSON.parse(JSON.stringify(deps.batch(deps.batchSize, sender))) as BenchFix[];
      await client.query(
        `INSERT INTO fixes (unit, time_ms, lat, lon, accuracy_m) SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[])
         ON CONFLICT DO NOTHING`,
        [fixes.map((f) => f.unit), fixes.map((f) => f.time), fixes.map((f) => f.lat), fixes.map((f) => f.lon), fixes.map((f) => f.accuracy_m)],
      );
      n += fixes.length;
    }
    await client.end();
  }));
  return n / ((performance.now() - t0) / 1000);
}

/** CPU seconds the PostgreSQL server's processes used so far (all of them: backends, WAL writer, checkpointer). */
export function postgresCpuSeconds(): number {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name !== 'postgres') continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        total += (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    // Not Linux.
  }
  return total;
}

export async function postgresBench(deps: PostgresBenchDeps, sqliteHttp: number | null): Promise<void> {
  const cluster = await startPgCluster();
  try {
    const bare = await bareInsertsPerSecond(await cluster.createDatabase('bare'), deps, 4);
    console.log(`baseline: bare pg inserts, batches of ${deps.batchSize}, 4 connections, durable   ${Math.round(bare)} fixes/s`);

    const one = await deps.startChild(await cluster.createDatabase('one_node'));
    try {
      const pg0 = postgresCpuSeconds();
      const t0 = performance.now();
      const http = await deps.withCpu(one.proc.pid!, () => deps.httpIngestPerSecond(one.http, 4), (r) => r);
      const pgShare = (postgresCpuSeconds() - pg0) / ((performance.now() - t0) / 1000);
      console.log(`server on PostgreSQL: HTTP POST /api/v1/fixes, 4 clients × ${deps.batchSize}/batch, acked ${Math.round(http)} fixes/s   (${(http / bare).toFixed(2)} × bare pg${sqliteHttp === null ? '' : `; ${(http / sqliteHttp).toFixed(2)} × the SQLite node`}; target ≥ 30,000)`);
      console.log(`        PostgreSQL's own processes used ${Math.round(pgShare * 100)} % of a core meanwhile`);
      const cot = await deps.withCpu(one.proc.pid!, () => deps.cotIngestPerSecond(one.http, one.cot, 4, Math.max(5000, Math.round((http * deps.seconds) / 4))), (r) => r);
      console.log(`server on PostgreSQL: CoT TCP, 4 connections, committed        ${Math.round(cot)} fixes/s   (${(cot / bare).toFixed(2)} × bare pg)`);
    } finally {
      await deps.stopChild(one.proc);
    }

    const db = await cluster.createDatabase('two_nodes');
    const a = await deps.startChild(db);
    const b = await deps.startChild(db);
    try {
      const pg0 = postgresCpuSeconds();
      const t0 = performance.now();
      const [ra, rb] = await Promise.all([deps.httpIngestPerSecond(a.http, 2, 0), deps.httpIngestPerSecond(b.http, 2, 2)]);
      const pgShare = (postgresCpuSeconds() - pg0) / ((performance.now() - t0) / 1000);
      console.log(`two nodes on one PostgreSQL: HTTP, 2 clients each: ${Math.round(ra)} + ${Math.round(rb)} = ${Math.round(ra + rb)} fixes/s acked   (${((ra + rb) / bare).toFixed(2)} × bare pg); PostgreSQL's processes ${Math.round(pgShare * 100)} % of a core`);
    } finally {
      await Promise.all([deps.stopChild(a.proc), deps.stopChild(b.proc)]);
    }
  } finally {
    await cluster.stop();
  }
}
