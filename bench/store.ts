// Durable-ack append throughput of the SQLite store (WAL, synchronous=FULL, group commit), then of the
// PostgreSQL store on a throwaway cluster (fsync on), where this process's CPU and PostgreSQL's are each
// given per fix (without PostgreSQL installed, or with BENCH_POSTGRES=0, that part is left out).
// Run: node --import tsx bench/store.ts [directory for the database files]
// Every number counts a fix only once its append has resolved, i.e. after its commit was fsynced.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgStore, openSqliteStore, type FixToAppend, type Store } from '../src/store/index.js';
import { postgresMissing, startPgCluster } from '../test/helpers/postgres.js';
import { postgresCpuSeconds } from './server-postgres.js';
import { numberedFix } from '../test/helpers/store-fixtures.js';

interface Scenario {
  name: string;
  fixes: number;
  run(store: Store, fixes: number): Promise<void>;
}

const scenarios: Scenario[] = [
  {
    name: '(a) 1 caller, 1 fix per call, sequential',
    fixes: 1000,
    async run(store, fixes) {
      for (let i = 0; i < fixes; i++) await store.appendFixes([numberedFix(i)]);
    },
  },
  {
    name: '(b) 100 concurrent callers, 1 fix per call',
    fixes: 30_000,
    async run(store, fixes) {
      let next = 0;
      const caller = async () => {
        while (next < fixes) await store.appendFixes([numberedFix(next++)]);
      };
      await Promise.all(Array.from({ length: 100 }, caller));
    },
  },
  {
    name: '(c) 1 caller, batches of 100, sequential',
    fixes: 30_000,
    async run(store, fixes) {
      for (let i = 0; i < fixes; i += 100) {
        await store.appendFixes(Array.from({ length: 100 }, (_, k) => numberedFix(i + k)));
      }
    },
  },
  {
    // The peer of (c): what a callsign, a team and a range-rule note cost on every fix (TAK traffic names every fix).
    name: '(e) as (c), each fix named, with a group and a note',
    fixes: 30_000,
    async run(store, fixes) {
      for (let i = 0; i < fixes; i += 100) {
        await store.appendFixes(Array.from({ length: 100 }, (_, k) => namedFix(i + k)));
      }
    },
  },
  {
    name: '(d) 10 concurrent callers, batches of 100',
    fixes: 50_000,
    run: (store, fixes) => concurrentBatches(store, fixes, 10, 100),
  },
];

/** `fixes` numbered fixes from `first` on, in batches of `size`, sent by `callers` callers at once. */
async function concurrentBatches(store: Store, fixes: number, callers: number, size: number, first = 0): Promise<void> {
  let next = 0;
  const caller = async () => {
    while (next < fixes) {
      const start = next;
      next += size;
      await store.appendFixes(Array.from({ length: size }, (_, k) => numberedFix(first + start + k)));
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
}

function namedFix(index: number): FixToAppend {
  const item = numberedFix(index);
  Object.assign(item.fix, { name: `COYOTE-${index % 7}`, group: 'Cyan', notes: ['detail.track.course -108.9 read as a signed course: 251.1'] });
  return item;
}

async function measure(dir: string, scenario: Scenario): Promise<void> {
  const file = join(dir, `${scenario.name.slice(1, 2)}.db`);
  const store = await openSqliteStore(file);
  const started = process.hrtime.bigint();
  await scenario.run(store, scenario.fixes);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { commits } = store.commitStats;
  const stored = (await store.fixesInWindow(-8.64e15, 8.64e15)).length;
  await store.close();
  if (stored !== scenario.fixes) throw new Error(`${scenario.name}: ${stored} fixes stored, expected ${scenario.fixes}`);
  const rate = Math.round(scenario.fixes / seconds);
  const perCommit = (scenario.fixes / commits).toFixed(1);
  const msPerCommit = ((seconds * 1000) / commits).toFixed(2);
  console.log(`${scenario.name.padEnd(46)} ${String(rate).padStart(8)} fixes/s  ${String(commits).padStart(6)} commits  ${perCommit.padStart(6)} fixes/commit  ${msPerCommit} ms/commit`);
}

/** The PostgreSQL store, 4 callers at once with batches of 100 and of 1,000: fixes/s, and CPU per fix here and in PostgreSQL. */
async function measurePostgres(): Promise<void> {
  const cluster = await startPgCluster();
  try {
    const store = await openPgStore(await cluster.createDatabase('store_bench'));
    let first = 0;
    for (const size of [100, 1000]) {
      const fixes = 30_000;
      const base = first;
      first += fixes;
      const pg0 = postgresCpuSeconds(), cpu0 = process.cpuUsage(), started = performance.now();
      await concurrentBatches(store, fixes, 4, size, base);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const here = (cpu.user + cpu.system) / fixes, there = ((postgresCpuSeconds() - pg0) * 1e6) / fixes;
      console.log(`PostgreSQL store, 4 callers, batches of ${String(size).padEnd(5)} ${String(Math.round(fixes / seconds)).padStart(8)} fixes/s  ` +
        `CPU a fix: ${here.toFixed(1)} µs in this process, ${there.toFixed(1)} µs in PostgreSQL's`);
    }
    await store.close();
  } finally {
    await cluster.stop();
  }
}

const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'lindero-bench-store-'));
try {
  console.log(`store files in ${dir}; durable acknowledgement (WAL, synchronous=FULL)`);
  for (const scenario of scenarios) await measure(dir, scenario);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (process.env.BENCH_POSTGRES !== '0' && !postgresMissing()) await measurePostgres();
