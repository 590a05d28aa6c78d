// Group commit for the PostgreSQL store. Writes that arrive while a commit is in flight wait and go
// together in the next one; each caller's promise settles only after that COMMIT returned, i.e. after
// the server flushed its WAL (the writer's session sets synchronous_commit on when the server's default is off).
// A commit: lock store_head (writers on other nodes take turns there), read what the fixes need (their
// units' latest times, the stored fixes they may repeat), run each write in order in memory, and write
// everything in one statement.
import type { Client } from 'pg';
import { fixKey, PgBatch, type PgHead } from './pg-batch.js';
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
  'text', 'float8', 'float8', 'int4', 'text', 'text', 'text', 'float8', 'text'];
const FIX_NAMES = ['id', 'seq', 'unit', 'time_ms', 'lat', 'lon', 'accuracy_m', 'alt_m', 'speed_mps', 'course_deg', 'source', 'received_ms', 'late',
  'territory', 'boundary_distance_m', 'confidence', 'certain', 'zone', 'fence_name', 'fence_side', 'fence_distance_m', 'determination_json'];
const ALERT_TYPES = ['bigint', 'bigint', 'text', 'text', 'float8', 'text', 'text', 'text', 'int4', 'float8', 'text'];
const ALERT_NAMES = ['id', 'seq', 'kind', 'unit', 'time_ms', 'other_unit', 'territory', 'zone', 'late', 'received_ms', 'alert_json'];

/** The columns of row JSON `r` (an array) as SQL values of these types. */
function fromJson(types: string[]): string {
  return types.map((t, i) => (t === 'text' ? `r->>${i}` : t === 'bytea' ? `decode(r->>${i}, 'hex')` : `(r->>${i})::${t}`)).join(', ');
}

// One statement writes the whole commit: data-modifying CTEs all run, whatever the final statement reads.
// Each table's rows come as one JSON array of arrays.
export const WRITE_COMMIT = `
WITH f AS (INSERT INTO fixes (${FIX_NAMES.join(', ')}) SELECT ${fromJson(FIX_TYPES)} FROM json_array_elements($1::json) r),
a AS (INSERT INTO alerts (${ALERT_NAMES.join(', ')}) SELECT ${fromJson(ALERT_TYPES)} FROM json_array_elements($2::json) r),
c AS (INSERT INTO chain (n, kind, ref, record_hash, hash) SELECT ${fromJson(['bigint', 'text', 'bigint', 'bytea', 'bytea'])} FROM json_array_elements($3::json) r),
u AS (INSERT INTO unit_latest (unit, fix_id, time_ms, first_time_ms, fix_count) SELECT ${fromJson(['text', 'bigint', 'float8', 'float8', 'bigint'])} FROM json_array_elements($4::json) r
  ON CONFLICT (unit) DO UPDATE SET
    fix_id = CASE WHEN excluded.time_ms >= unit_latest.time_ms THEN excluded.fix_id ELSE unit_latest.fix_id END,
    time_ms = greatest(unit_latest.time_ms, excluded.time_ms),
    first_time_ms = least(unit_latest.first_time_ms, excluded.first_time_ms),
    fix_count = unit_latest.fix_count + excluded.fix_count)
UPDATE store_head SET seq = $5, fix_id = $6, alert_id = $7, chain_n = $8, chain_hash = $9`;

const LOCK_HEAD = 'BEGIN; SELECT seq, fix_id, alert_id, chain_n, chain_hash FROM store_head FOR UPDATE';

export interface PgWriterDeps {
  /** The writer's connection, opened (again, after a failure) when a commit needs it. */
  connect(): Promise<Client>;
  /** Drops a connection that failed: the next commit opens a new one. */
  discard(client: Client): void;
  describeError(e: unknown): unknown;
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
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      const batch = await this.begin(client, tasks);
      for (const task of tasks) outcomes.push(await this.runOne(client, batch, task));
      if (!batch.isEmpty) await client.query(WRITE_COMMIT, writeParams(batch));
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => this.deps.discard(client));
      const error = this.deps.describeError(e);
      for (const task of tasks) task.reject(error);
      return;
    }
    this.commits += 1;
    this.tasksCommitted += tasks.length;
    tasks.forEach((task, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) task.resolve(outcome.value);
      else task.reject(this.deps.describeError(outcome.error));
    });
  }

  /** Locks store_head and reads what this commit's fixes need to tell late fixes and duplicates. */
  private async begin(client: Client, tasks: Task[]): Promise<PgBatch> {
    const results = (await client.query(LOCK_HEAD)) as unknown as { rows: Record<string, unknown>[] }[];
    const row = results[1].rows[0] as { seq: number; fix_id: number; alert_id: number; chain_n: number; chain_hash: Buffer };
    const head: PgHead = { seq: row.seq, fixId: row.fix_id, alertId: row.alert_id, chainN: row.chain_n, chainHash: row.chain_hash };
    const rows: FixParams[] = [];
    for (const task of tasks) if (task.work.kind === 'memory' && task.work.fixRows) rows.push(...task.work.fixRows);
    const latestTimes = new Map<string, number>();
    const stored = new Map<string, { id: number; seq: number }>();
    if (rows.length === 0) return new PgBatch(head, latestTimes, stored);
    const units = [...new Set(rows.map((r) => r[FIX_PARAM.unit] as string))];
    const latest = await client.query<{ unit: string; time_ms: number }>('SELECT unit, time_ms FROM unit_latest WHERE unit = ANY($1::text[])', [units]);
    for (const r of latest.rows) latestTimes.set(r.unit, r.time_ms);
    // Only a fix not newer than its unit's latest stored one can repeat a stored fix.
    const candidates = rows.filter((r) => {
      const t = latestTimes.get(r[FIX_PARAM.unit] as string);
      return t !== undefined && (r[FIX_PARAM.time] as number) <= t;
    });
    if (candidates.length > 0) {
      const found = await client.query<{ id: number; seq: number; unit: string; time_ms: number; lat: number; lon: number }>(
        `SELECT f.id, f.seq, f.unit, f.time_ms, f.lat, f.lon FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[]) AS c (unit, t, lat, lon)
         JOIN fixes f ON f.unit = c.unit AND f.time_ms = c.t AND f.lat = c.lat AND f.lon = c.lon`,
        [0, 1, 2, 3].map((k) => candidates.map((r) => r[k])),
      );
      for (const f of found.rows) stored.set(fixKey(f.unit, f.time_ms, f.lat, f.lon), { id: f.id, seq: f.seq });
    }
    return new PgBatch(head, latestTimes, stored);
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

export function writeParams(batch: PgBatch): unknown[] {
  const h = batch.head;
  const json = JSON.stringify;
  return [json(batch.fixRows), json(batch.alertRows), json(batch.chainRows), json(batch.unitRows()), h.seq, h.fixId, h.alertId, h.chainN, h.chainHash];
}
