// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temporary directory, a server
// listening on a Unix socket in that directory only (no TCP port, so nothing to collide with), stopped
// and deleted at the end, and stopped even when the process exits early. As root, the server runs as the
// `postgres` user (PostgreSQL refuses to run as root), as Debian's own scripts do.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** The directory holding the server's socket. */
  socketDir: string;
  /** postgresql:// URL of a database of this cluster. */
  url(database?: string): string;
  /** Creates a new, empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** The server's log so far (for a failing test's message). */
  stop(): Promise<void>;
  /** pg_ctl of this cluster's release (to stop, restart or kill the server in a test). */
  bin(name: string): string;
  /** Runs a PostgreSQL program as the cluster's owner. */
  run(name: string, args: string[]): string;
  dataDir: string;
}

/** The directory of PostgreSQL's server programs, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const fromEnv = process.env.LINDERO_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    return existsSync(join(dir, 'initdb')) ? dir : null;
  } catch {
    return null;
  }
}

/** Why the PostgreSQL tests cannot run here, or null when they can. */
export function postgresMissing(): string | null {
  if (!postgresBinDir()) return 'PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin, none from pg_config, LINDERO_PG_BIN unset): apt-get install postgresql';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run the server as';
  return null;
}

const USER = 'lindero';
let counter = 0;

/** Starts a cluster; throws with the reason when PostgreSQL is missing (check postgresMissing first). */
export async function startPgCluster(): Promise<PgCluster> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const binDir = postgresBinDir()!;
  const dir = mkdtempSync(join(tmpdir(), 'lindero-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const dataDir = join(dir, 'data');
  const bin = (name: string) => join(binDir, name);
  const run = (name: string, args: string[]): string => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin(name), ...args]] : [bin(name), args];
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  let running = false;
  const stopNow = () => {
    if (running) spawnSync(asRoot ? 'runuser' : bin('pg_ctl'), asRoot ? ['-u', 'postgres', '--', bin('pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop'] : ['-D', dataDir, '-m', 'immediate', 'stop']);
    running = false;
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  try {
    // -N: initdb's own files need no fsync (the cluster is thrown away); the server still fsyncs every commit.
    run('initdb', ['-D', dataDir, '-U', USER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
    run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-c listen_addresses='' -k ${dir} -c max_connections=200`, 'start']);
    running = true;
  } catch (e) {
    stopNow();
    process.removeListener('exit', stopNow);
    throw e;
  }
  const url = (database = 'postgres') => `postgresql://${USER}@${encodeURIComponent(dir)}/${database}`;
  return {
    socketDir: dir,
    dataDir,
    url,
    bin,
    run,
    async createDatabase(name = `t${process.pid}_${++counter}`) {
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async stop() {
      if (running) run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      running = false;
      stopNow();
      process.removeListener('exit', stopNow);
    },
  };
}

/** Waits until every bucket's rules have evaluated every stored fix (their watermarks are past the last one). */
export async function rulesCaughtUp(db: string, timeoutMs = 60_000): Promise<void> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const started = Date.now();
    for (;;) {
      const { rows } = await client.query<{ behind: number }>('SELECT count(*)::int AS behind FROM rule_watermarks WHERE evaluated_seq < (SELECT coalesce(max(seq), 0) FROM fixes)');
      if (rows[0].behind === 0) return;
      if (Date.now() - started > timeoutMs) throw new Error(`the rules did not catch up with the stored fixes within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}
