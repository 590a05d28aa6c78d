// Group commit for the PostgreSQL store. Writes that arrive while a commit is in flight wait and go
// together in the next one; each caller's promise settles only after that COMMIT returned, i.e. after
// the server flushed its WAL (the writer's session sets synchronous_commit on when the server's default is off).
// A commit: lock store_head (writers on other nodes take turns there), read what the fixes need (their
// units' latest times, the stored fixes they may repeat) in the same round trip, run each write in order
// in memory, and write everything in one statement sent with its COMMIT: two round trips a commit (plus
// a savepoint's for each write with statements of its own: incident records, policy changes, keys).
import { randomBytes } from 'node:crypto';
import type { ChainForm } from './chain.js';
import type { Client } from 'pg';
import { fixKey, PgBatch, type PgHead } from './pg-batch.js';
import { settleBatch, type Outcome } from './group-commit.js';
import { EVENTS_CHANNEL, notifyPayload } from './pg-notify.js';
import { FIX_PARAM, type FixParams } from './rows.js';

/** A write in a commit: in memory only (fixes, alerts), or with statements of its own (in a savepoint). */
export type PgWork<T> =
  | { kind: 'memory'; fixRows?: FixParams[]; run(batch: PgBatch): T }
  | { kind: 'sql'; run(client: Client, batch: PgBatch): Promise<T> };

interface Task {
  work: PgWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const FIX_TYPES = ['bigint', 'bigint', 'text', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'text', 'float8', 'int4',
  'text', 'float8', 'float8', 'int4', 'text', 'text', 'text', 'float8', 'text', 'text', 'text', 'text'];
const FIX_NAMES = ['id', 'seq', 'unit', 'time_ms', 'lat', 'lon', 'accuracy_m', 'alt_m', 'speed_mps', 'course_deg', 'source', 'received_ms', 'late',
  'territory', 'boundary_distance_m', 'confidence', 'certain', 'zone', 'fence_name', 'fence_side', 'fence_distance_m', 'determination_json',
  'name', 'group_name', 'notes_json'];
const ALERT_TYPES = ['bigint', 'bigint', 'text', 'text', 'float8', 'text', 'text', 'text', 'int4', 'float8', 'text'];
const ALERT_NAMES = ['id', 'seq', 'kind', 'unit', 'time_ms', 'other_unit', 'territory', 'zone', 'late', 'received_ms', 'alert_json'];

/**
 * The columns of row JSON `r` (an array) as SQL values of these types. The rows are read as jsonb: its
 * r->>i goes straight to element i, where json's parses the text up to it again for every column (the
 * difference measured: a commit of 2,000 fixes written in ~60 % of the time). A number goes through
 * numeric, which keeps JSON.stringify's digits exactly, so it reads back as the same double.
 */
function fromJson(types: string[]): string {
  return types.map((t, i) => (t === 'text' ? `r->>${i}` : t === 'bytea' ? `decode(r->>${i}, 'hex')` : `(r->>${i})::${t}`)).join(', ');
}

/**
 * Text as an SQL literal: dollar-quoted with a tag it does not contain (PostgreSQL documentation 4.1.2.4),
 * so nothing in it is ever read as SQL. Used to send a whole commit as one simple query (one round trip).
 */
export function sqlText(text: string): string {
  let tag = 'j';
  while (text.includes(`$${tag}$`)) tag += randomBytes(4).toString('hex');
  return `$${tag}$${text}$${tag}$`;
}

/**
 * The whole commit in one round trip: one statement writes every table (data-modifying CTEs all run,
 * whatever the final statement reads), each table's rows as one JSON array of arrays, then COMMIT.
 */
export function writeCommitSql(batch: PgBatch, writerId: string): string {
  batch.seal();
  const h = batch.head;
  // Delivered to listening nodes when, and only if, this transaction commits (pg-notify.ts).
  const notify = h.seq > batch.firstSeq - 1 ? `NOTIFY ${EVENTS_CHANNEL}, '${notifyPayload(writerId, batch.firstSeq, h.seq)}';\n` : '';
  const rows = (value: unknown) => `jsonb_array_elements(${sqlText(JSON.stringify(value))}::jsonb) r`;
  const integer = (n: number) => {
    if (!Number.isSafeInteger(n)) throw new Error(`store_head: ${n} is not a whole number`);
    return String(n);
  };
  // Only the tables this commit writes rows to.
  const writes: string[] = [];
  const insert = (table: string, names: string[], types: string[], values: unknown[]) => {
    if (values.length > 0) writes.push(`INSERT INTO ${table} (${names.join(', ')}) SELECT ${fromJson(types)} FROM ${rows(values)}`);
  };
  insert('fixes', FIX_NAMES, FIX_TYPES, batch.fixRows);
  insert('alerts', ALERT_NAMES, ALERT_TYPES, batch.alertRows);
  insert('chain', ['n', 'kind', 'ref', 'record_hash', 'hash'], ['bigint', 'text', 'bigint', 'bytea', 'bytea'], batch.chainRows);
  insert('chain_leaves', ['n', 'leaf', 'kind', 'ref', 'record_hash'], ['bigint', 'int4', 'text', 'bigint', 'bytea'], batch.leafRows);
  insert('chain_commits', ['n', 'size', 'root', 'hash'], ['bigint', 'int4', 'bytea', 'bytea'], batch.commitRow ? [batch.commitRow] : []);
  const units = batch.unitRows();
  if (units.length > 0) {
    writes.push(`INSERT INTO unit_latest (unit, fix_id, time_ms, first_time_ms, fix_count) SELECT ${fromJson(['text', 'bigint', 'float8', 'float8', 'bigint'])} FROM ${rows(units)}
  ON CONFLICT (unit) DO UPDATE SET
    fix_id = CASE WHEN excluded.time_ms >= unit_latest.time_ms THEN excluded.fix_id ELSE unit_latest.fix_id END,
    time_ms = greatest(unit_latest.time_ms, excluded.time_ms),
    first_time_ms = least(unit_latest.first_time_ms, excluded.first_time_ms),
    fix_count = unit_latest.fix_count + excluded.fix_count`);
  }
  const ctes = writes.length === 0 ? '' : `WITH ${writes.map((w, i) => `w${i} AS (${w})`).join(',\n')}\n`;
  return `
${ctes}UPDATE store_head SET seq = ${integer(h.seq)}, fix_id = ${integer(h.fixId)}, alert_id = ${integer(h.alertId)}, chain_n = ${integer(h.chainN)},
  chain_hash = decode('${h.chainHash.toString('hex')}', 'hex');
${notify}COMMIT`;
}

/**
 * The start of a commit in one round trip: lock store_head (each statement of a simple query takes its own
 * snapshot, so what follows sees every commit made before the lock was granted), and read what this
 * commit's fixes need: their units' latest stored times, and the stored fixes they repeat (looked up only
 * for fixes no newer than their unit's latest: a duplicate has the device time of a stored fix).
 */
function beginSql(rows: FixParams[]): string {
  const lock = 'BEGIN; SELECT seq, fix_id, alert_id, chain_n, chain_hash FROM store_head FOR UPDATE;';
  if (rows.length === 0) return lock;
  const units = JSON.stringify([...new Set(rows.map((r) => r[FIX_PARAM.unit]))]);
  const keys = JSON.stringify(rows.map((r) => [r[FIX_PARAM.unit], r[FIX_PARAM.time], r[FIX_PARAM.lat], r[FIX_PARAM.lon]]));
  return `${lock}
SELECT unit, time_ms FROM unit_latest WHERE unit IN (SELECT jsonb_array_elements_text(${sqlText(units)}::jsonb));
SELECT f.id, f.seq, f.unit, f.time_ms, f.lat, f.lon FROM jsonb_array_elements(${sqlText(keys)}::jsonb) c
  JOIN unit_latest u ON u.unit = c->>0 AND (c->>1)::float8 <= u.time_ms
  JOIN fixes f ON f.unit = c->>0 AND f.time_ms = (c->>1)::float8 AND f.lat = (c->>2)::float8 AND f.lon = (c->>3)::float8;`;
}

export interface PgWriterDeps {
  /** The writer's connection, opened (again, after a failure) when a commit needs it. */
  connect(): Promise<Client>;
  /** Drops a connection that failed: the next commit opens a new one. */
  discard(client: Client): void;
  describeError(e: unknown): unknown;
  /** Names this writer in its commits' notifications (its own are not read back). */
  writerId: string;
  /** The form of the chain entries written (chain.ts). */
  chainForm: ChainForm;
}

export class PgWriter {
  private queue: Task[] = [];
  private draining: Promise<void> | null = null;
  commits = 0;
  tasksCommitted = 0;

  constructor(private readonly deps: PgWriterDeps) {}

  submit<T>(work: PgWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) this.draining = new Promise<void>((done) => setImmediate(() => void this.drain().finally(done)));
    });
  }

  /** Resolves once everything submitted so far is committed or failed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const tasks = this.queue;
        this.queue = [];
        await this.commit(tasks);
      }
    } finally {
      this.draining = null;
    }
  }

  private async commit(tasks: Task[]): Promise<void> {
    let client: Client;
    try {
      client = await this.deps.connect();
    } catch (e) {
      const error = this.deps.describeError(e);
      for (const task of tasks) task.reject(error);
      return;
    }
    const outcomes: Outcome[] = [];
    try {
      const batch = await this.begin(client, tasks);
      for (const task of tasks) outcomes.push(await this.runOne(client, batch, task));
      await client.query(batch.isEmpty ? 'COMMIT' : writeCommitSql(batch, this.deps.writerId));
    } catch (e) {
      await client.query('ROLLBACK').catch(() => this.deps.discard(client));
      settleBatch(tasks, { error: this.deps.describeError(e) }, this.deps.describeError);
      return;
    }
    this.commits += 1;
    this.tasksCommitted += tasks.length;
    settleBatch(tasks, { outcomes }, this.deps.describeError);
  }

  /** Locks store_head and reads what this commit's fixes need to tell late fixes and duplicates. */
  private async begin(client: Client, tasks: Task[]): Promise<PgBatch> {
    const rows: FixParams[] = [];
    for (const task of tasks) if (task.work.kind === 'memory' && task.work.fixRows) rows.push(...task.work.fixRows);
    const results = (await client.query(beginSql(rows))) as unknown as { rows: Record<string, unknown>[] }[];
    const row = results[1].rows[0] as { seq: number; fix_id: number; alert_id: number; chain_n: number; chain_hash: Buffer };
    const head: PgHead = { seq: row.seq, fixId: row.fix_id, alertId: row.alert_id, chainN: row.chain_n, chainHash: row.chain_hash };
    const latestTimes = new Map<string, number>();
    const stored = new Map<string, { id: number; seq: number }>();
    if (rows.length > 0) {
      for (const r of results[2].rows as { unit: string; time_ms: number }[]) latestTimes.set(r.unit, r.time_ms);
      for (const f of results[3].rows as { id: number; seq: number; unit: string; time_ms: number; lat: number; lon: number }[]) {
        stored.set(fixKey(f.unit, f.time_ms, f.lat, f.lon), { id: f.id, seq: f.seq });
      }
    }
    return new PgBatch(head, latestTimes, stored, this.deps.chainForm);
  }

  private async runOne(client: Client, batch: PgBatch, task: Task): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    const { work } = task;
    if (work.kind === 'memory') {
      try {
        return { ok: true, value: work.run(batch) };
      } catch (error) {
        return { ok: false, error };
      }
    }
    // A write with statements of its own is rolled back alone when it fails; the batch's memory is
    // touched only after its statements succeeded.
    await client.query('SAVEPOINT one_write');
    try {
      const value = await work.run(client, batch);
      await client.query('RELEASE SAVEPOINT one_write');
      return { ok: true, value };
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT one_write');
      return { ok: false, error };
    }
  }
}
