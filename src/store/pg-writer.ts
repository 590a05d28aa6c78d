// Group commit for the PostgreSQL store. Writes that arrive while a commit is in flight wait and go
// together in the next one; each caller's promise settles only after that COMMIT returned, i.e. after
// the server flushed its WAL (the writer's sessions set synchronous_commit on when the server's default is off).
// A commit: lock store_head (writers on other nodes take turns there), read what the fixes need (their
// units' latest times, the stored fixes they may repeat) in the same round trip, run each write in order
// in memory, and write everything in one statement sent with its COMMIT: two round trips a commit (plus
// a savepoint's for each write with statements of its own: incident records, policy changes, keys).
//
// Commits in turn would leave this process idle while PostgreSQL writes and flushes, and PostgreSQL idle
// while this process prepares the next commit. So while one commit is in flight, the next (when its writes
// are all in memory: fixes and alerts) is prepared on a second connection from the head the first leaves,
// and sent to wait for store_head behind it (pg-write-sql.ts, commitAheadSql): it writes only if store_head
// is then exactly that head, and is made again in turn otherwise. The chain and seq keep the commit order.
import type { ChainForm } from './chain.js';
import type { Client } from 'pg';
import { PgBatch, type PgHead } from './pg-batch.js';
import { settleBatch, type Outcome } from './group-commit.js';
import { commitAheadSql, HEAD_MOVED, LOCK_SQL, readResults, readsSql, writeSql } from './pg-write-sql.js';
import type { FixParams } from './rows.js';

/** A write in a commit: in memory only (fixes, alerts), or with statements of its own (in a savepoint). */
export type PgWork<T> =
  | { kind: 'memory'; fixRows?: FixParams[]; run(batch: PgBatch): T }
  | { kind: 'sql'; run(client: Client, batch: PgBatch): Promise<T> };

interface Task {
  work: PgWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A commit sent, its answer awaited. */
interface InFlight {
  tasks: Task[];
  outcomes: Outcome[];
  batch: PgBatch;
  client: Client;
  /** Which of the writer's two connections it went on. */
  slot: 0 | 1;
  written: Promise<unknown>;
  /** Sent ahead of the commit before it (commitAheadSql): made again in turn if it finds store_head moved. */
  ahead: boolean;
}

type Reads = { rows: Record<string, unknown>[] }[];

export interface PgWriterDeps {
  /** One of the writer's two connections, opened (again, after a failure) when a commit needs it. */
  connect(slot: 0 | 1): Promise<Client>;
  /** Drops a connection that failed: the next commit opens a new one. */
  discard(client: Client): void;
  describeError(e: unknown): unknown;
  /** Names this writer in its commits' notifications (its own are not read back). */
  writerId: string;
  /** The form of the chain entries written (chain.ts). */
  chainForm: ChainForm;
}

/**
 * Fixes a commit takes, about (see takeTasks). With CoT streams feeding the writer without pause, one commit of
 * everything waiting left nothing to prepare ahead: 6,800–7,200 fixes/s over CoT uncapped against 9,000–9,800
 * with 500–2,000 (BENCHMARKS.md, 2026-12-07 08:05–08:11); HTTP unchanged.
 */
const COMMIT_FIXES = 1000;

const fixRowsOf = (tasks: Task[]): FixParams[] => tasks.flatMap((t) => (t.work.kind === 'memory' && t.work.fixRows ? t.work.fixRows : []));

export class PgWriter {
  private queue: Task[] = [];
  private draining: Promise<void> | null = null;
  commits = 0;
  tasksCommitted = 0;
  /** Commits sent ahead, and those that found store_head moved and were made again in turn. */
  aheadSent = 0;
  aheadRedone = 0;
  /** The head this writer's last commit left, and whether the last turn found another writer had moved it. */
  private lastHead: PgHead | null = null;
  private othersWriting = false;

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

  /** At most two commits in flight: one being written, the next sent ahead to wait for it. */
  private async drain(): Promise<void> {
    let previous: InFlight | null = null;
    try {
      while (this.queue.length > 0 || previous) {
        if (this.queue.length === 0) {
          await this.finish(previous!);
          previous = null;
          continue;
        }
        const tasks = this.takeTasks();
        // Not while another writer (another node) is writing too: a commit prepared ahead would mostly find the head moved.
        const canGoAhead: boolean = previous !== null && !this.othersWriting && tasks.every((t) => t.work.kind === 'memory');
        const ahead: InFlight | null = canGoAhead ? await this.sendAhead(tasks, previous!) : null;
        const asSent = previous ? await this.finish(previous) : true;
        if (ahead && !asSent) {
          // Sent ahead of a commit that was made again: it cannot find the head it was prepared from.
          // Finished (and made again in turn) now, so that no further commit is prepared from it.
          await this.finish(ahead);
          previous = null;
        } else previous = ahead ?? (await this.send(tasks, previous ? previous.slot : 0));
      }
    } finally {
      this.draining = null;
    }
  }

  /**
   * The writes of the next commit: all that wait, up to about COMMIT_FIXES fixes (at least one write), so a
   * burst makes several commits, the next prepared while the one before is written, not one long one.
   */
  private takeTasks(): Task[] {
    let fixes = 0;
    let n = 0;
    while (n < this.queue.length) {
      const work = this.queue[n].work;
      const count = work.kind === 'memory' ? (work.fixRows?.length ?? 0) : 0;
      if (n > 0 && fixes + count > COMMIT_FIXES) break;
      fixes += count;
      n += 1;
    }
    return this.queue.splice(0, n);
  }

  /** Sends a commit in turn: locks store_head, reads, runs the writes, sends the write with COMMIT. Null when it failed before (its tasks settled). */
  private async send(tasks: Task[], slot: 0 | 1): Promise<InFlight | null> {
    let client: Client;
    try {
      client = await this.deps.connect(slot);
    } catch (e) {
      const error = this.deps.describeError(e);
      for (const task of tasks) task.reject(error);
      return null;
    }
    const outcomes: Outcome[] = [];
    try {
      const rows = fixRowsOf(tasks);
      const results = (await client.query(LOCK_SQL + readsSql(rows))) as unknown as Reads;
      const row = results[1].rows[0] as { seq: number; fix_id: number; alert_id: number; chain_n: number; chain_hash: Buffer };
      const head: PgHead = { seq: row.seq, fixId: row.fix_id, alertId: row.alert_id, chainN: row.chain_n, chainHash: row.chain_hash };
      this.othersWriting = this.lastHead !== null && !(this.lastHead.seq === head.seq && this.lastHead.chainHash.equals(head.chainHash));
      const { latestTimes, stored } = rows.length > 0 ? readResults(results[2].rows as never, results[3].rows as never) : readResults([], []);
      const batch = new PgBatch(head, latestTimes, stored, this.deps.chainForm);
      for (const task of tasks) outcomes.push(await this.runOne(client, batch, task));
      const written = client.query(batch.isEmpty ? 'COMMIT' : writeSql(batch, this.deps.writerId, '', 'COMMIT'));
      // Awaited in finish(); a failure is handled there.
      written.catch(() => undefined);
      return { tasks, outcomes, batch, client, slot, written, ahead: false };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => this.deps.discard(client));
      settleBatch(tasks, { error: this.deps.describeError(e) }, this.deps.describeError);
      return null;
    }
  }

  /**
   * Prepares in-memory writes on the other connection from the head `previous` leaves, and sends them to
   * commit after it (commitAheadSql). Null when it could not be prepared: the tasks are then sent in turn.
   */
  private async sendAhead(tasks: Task[], previous: InFlight): Promise<InFlight | null> {
    const slot: 0 | 1 = previous.slot === 0 ? 1 : 0;
    try {
      const client = await this.deps.connect(slot);
      const rows = fixRowsOf(tasks);
      // Every commit before `previous` has finished (the loop finishes each before preparing past it), so the
      // database shows them; `previous`'s own writes, maybe not yet visible, are in its batch.
      const results = rows.length > 0 ? ((await client.query(readsSql(rows))) as unknown as Reads) : null;
      const { latestTimes, stored } = results ? readResults(results[0].rows as never, results[1].rows as never) : readResults([], []);
      const from = { ...previous.batch.head };
      const batch = previous.batch.followedBy(latestTimes, stored);
      const outcomes: Outcome[] = [];
      for (const task of tasks) outcomes.push(await this.runOne(client, batch, task));
      if (batch.isEmpty) return null;
      const written = client.query(commitAheadSql(from, batch, this.deps.writerId));
      this.aheadSent += 1;
      written.catch(() => undefined);
      return { tasks, outcomes, batch, client, slot, written, ahead: true };
    } catch {
      return null;
    }
  }

  /**
   * Awaits a commit's answer and settles its tasks; true when it committed as sent. A commit sent ahead
   * that found store_head moved wrote nothing (its transaction rolled back at once) and is made again in
   * turn; any other failure is the callers' error, as for a commit in turn (whether it committed may not be
   * known: it is never written twice).
   */
  private async finish(commit: InFlight): Promise<boolean> {
    try {
      await commit.written;
    } catch (e) {
      if (commit.ahead && (e as { code?: string }).code === HEAD_MOVED) {
        this.aheadRedone += 1;
        this.othersWriting = true;
        const again = await this.send(commit.tasks, commit.slot);
        if (again) await this.finish(again);
        return false;
      }
      // In turn: roll back the open transaction. Ahead: it rolled back by itself; ROLLBACK only warns.
      await commit.client.query('ROLLBACK').catch(() => this.deps.discard(commit.client));
      settleBatch(commit.tasks, { error: this.deps.describeError(e) }, this.deps.describeError);
      return false;
    }
    this.commits += 1;
    this.tasksCommitted += commit.tasks.length;
    this.lastHead = commit.batch.head;
    settleBatch(commit.tasks, { outcomes: commit.outcomes }, this.deps.describeError);
    return true;
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
