/**
 * Group commit for a synchronous database: writes submitted in the same event-loop turn are queued,
 * run together in one transaction at setImmediate, and committed once; each caller's promise settles
 * only after that commit. One fsync then acknowledges many writes.
 */
export interface Transactions {
  /** Runs body in a write transaction and commits it (throws when the commit fails). */
  inTransaction(body: () => void): void;
  /** Runs work in a savepoint inside the open transaction, rolling back just its changes if it throws. */
  inSavepoint<T>(work: () => T): T;
  /** Whether the transaction is still open (SQLite aborts the whole transaction on some errors). */
  isOpen(): boolean;
  /** Turns a thrown error into what callers see. */
  describeError(e: unknown): unknown;
}

interface Task {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What one task of a committed batch came to: its value, or the error it alone failed with. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Settles the tasks of a batch: all rejected with the commit's error when it failed, else each with its own
 * outcome. Shared by the SQLite and the PostgreSQL writers, whose batches settle by the same rule.
 */
export function settleBatch(
  tasks: readonly { resolve: (value: unknown) => void; reject: (error: unknown) => void }[],
  committed: { outcomes: readonly Outcome[] } | { error: unknown },
  describeError: (e: unknown) => unknown,
): void {
  if ('error' in committed) {
    for (const task of tasks) task.reject(committed.error);
    return;
  }
  tasks.forEach((task, i) => {
    const outcome = committed.outcomes[i];
    if (outcome.ok) task.resolve(outcome.value);
    else task.reject(describeError(outcome.error));
  });
}

export class GroupCommit {
  private queue: Task[] = [];
  private scheduled = false;
  /** Commits made so far, and tasks they carried: to see how well writes were grouped. */
  commits = 0;
  tasksCommitted = 0;

  constructor(private readonly tx: Transactions) {}

  /** Queues work for the next group commit; resolves with its result once committed. */
  submit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Commits everything queued now. A failing task is rolled back alone; a failing commit fails them all. */
  flush(): void {
    this.scheduled = false;
    const tasks = this.queue;
    this.queue = [];
    if (tasks.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      this.tx.inTransaction(() => {
        for (const task of tasks) outcomes.push(this.runOne(task));
      });
    } catch (e) {
      settleBatch(tasks, { error: this.tx.describeError(e) }, this.tx.describeError);
      return;
    }
    this.commits += 1;
    this.tasksCommitted += tasks.length;
    settleBatch(tasks, { outcomes }, this.tx.describeError);
  }

  private runOne(task: Task): Outcome {
    try {
      return { ok: true, value: this.tx.inSavepoint(task.work) };
    } catch (error) {
      // The transaction was aborted under us: nothing in this batch is committed, so fail the batch.
      if (!this.tx.isOpen()) throw error;
      return { ok: false, error };
    }
  }
}
