// The store in a worker thread. A durable commit waits for fsync, and SQLite's work and the fsync block
// the thread that runs them; here that thread is not the one parsing, classifying and answering
// devices. Same contract as SqliteStore (it is one, in the worker): every write resolves only after it
// is committed durably.
import type { Worker } from 'node:worker_threads';
import { errorFromWire, LinderoError } from '../model/index.js';
import type {
  AlertQuery, ApiKeyInfo, AppendResult, ChainEntry, ChainEntryWithRecord, ChainLocation, Checkpoint, CreatedApiKey, FixToAppend,
  IncidentRecordToAppend, Store, StoreEvent, StoredAlert, StoredFix, StoredIncidentRecord, StoredPolicyChange, UnchainedRecord,
  UnitSummary,
} from './store.js';
import type { Alert } from '../model/index.js';
import { startWorker } from '../model/node.js';
import { afterCheck, checkedAlerts, checkedFixParams } from './validate.js';
import { BUFFER_METHODS, Outbox, restoreBuffers, type StoreCall, type StoreReply } from './worker-protocol.js';

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** How often the checkpointer copies the WAL into the database file, ms. */
const CHECKPOINT_INTERVAL_MS = 250;
/** WAL pages (of 4 KiB) after which a commit checkpoints by itself, should the checkpointer fall behind. */
const BACKSTOP_CHECKPOINT_PAGES = 16_384;

export class WorkerStore implements Store {
  readonly kind = 'sqlite';
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private failure: Error | null = null;
  private readonly checkpointerExit: Promise<unknown>;
  /** The calls of this turn, sent to the worker as one message (worker-protocol.ts). */
  private readonly calls = new Outbox<StoreCall>((batch) => {
    if (!this.failure) this.worker.postMessage(batch);
  }, (call, e) => this.refuse(call, e));

  private constructor(private readonly worker: Worker, private readonly checkpointer: Worker, readonly file: string) {
    // A checkpointer that fails leaves the writer's backstop checkpoints: slower commits, nothing lost.
    checkpointer.on('error', () => {});
    this.checkpointerExit = new Promise((resolve) => checkpointer.once('exit', resolve));
    worker.on('message', (replies: StoreReply[]) => {
      for (const reply of replies) this.settle(reply);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new LinderoError('store-closed', `the store worker for ${file} exited (code ${code})`, { file })));
  }

  /** Opens the store file in a new worker thread; rejects with the open error (a LinderoError naming the file). */
  static async open(file: string): Promise<WorkerStore> {
    const worker = startWorker(import.meta.url, 'store-worker', { file, autoCheckpointPages: BACKSTOP_CHECKPOINT_PAGES });
    const first = await new Promise<StoreReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new LinderoError('store-cannot-open', `${file}: the store worker exited (code ${code}) before opening it`, { file })));
    });
    if (!first.ok) {
      await worker.terminate();
      throw errorFromWire(first.error);
    }
    const checkpointer = startWorker(import.meta.url, 'checkpoint-worker', { file, intervalMs: CHECKPOINT_INTERVAL_MS });
    return new WorkerStore(worker, checkpointer, (first.value as { file: string }).file);
  }

  private settle(message: StoreReply): void {
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if (message.ok) call.resolve(BUFFER_METHODS.has(call.method) ? restoreBuffers(message.value) : message.value);
    else call.reject(errorFromWire(message.error));
  }

  /** The worker is gone: every call still waiting fails, and so does every later one. */
  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = this.closed ? new LinderoError('store-closed', `the store ${this.file} is closed`, { file: this.file }) : e;
    for (const call of this.pending.values()) call.reject(this.failure);
    this.pending.clear();
  }

  private call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.closed || this.failure) {
      return Promise.reject(this.failure ?? new LinderoError('store-closed', `the store ${this.file} is closed`, { file: this.file }));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      this.calls.push({ id, method, args });
    });
  }

  /** A call whose arguments cannot be cloned (a function, a symbol): the caller's mistake, like bad input. */
  private refuse(call: StoreCall, e: unknown): void {
    const waiting = this.pending.get(call.id);
    this.pending.delete(call.id);
    waiting?.reject(new LinderoError('store-bad-input', `${call.method}: its arguments cannot be passed to the store (${(e as Error).message})`, {}));
  }

  /** Checked here, in the caller's thread, and sent as rows (SqliteStore.appendFixParams): same answers as appendFixes. */
  appendFixes(items: FixToAppend[]): Promise<AppendResult[]> {
    return afterCheck(() => checkedFixParams(items), (rows) => this.call('appendFixParams', rows));
  }

  appendFixesAndAlerts(items: FixToAppend[], alerts: Alert[]): Promise<{ fixes: AppendResult[]; alerts: StoredAlert[] }> {
    return afterCheck(() => [checkedFixParams(items), checkedAlerts(alerts)] as const, ([rows, checked]) => this.call('appendFixParamsAndAlerts', rows, checked));
  }

  appendAlert(alert: Alert): Promise<StoredAlert> { return this.call('appendAlert', alert); }
  units(): Promise<UnitSummary[]> { return this.call('units'); }
  track(unit: string, fromMs?: number, toMs?: number): Promise<StoredFix[]> { return this.call('track', unit, fromMs, toMs); }
  fixesInWindow(fromMs: number, toMs: number, units?: string[]): Promise<StoredFix[]> { return this.call('fixesInWindow', fromMs, toMs, units); }
  latestFixBefore(unit: string, timeMs: number): Promise<StoredFix | null> { return this.call('latestFixBefore', unit, timeMs); }
  alerts(query?: AlertQuery): Promise<StoredAlert[]> { return this.call('alerts', query); }
  eventsAfter(afterSeq: number, limit?: number): Promise<StoreEvent[]> { return this.call('eventsAfter', afterSeq, limit); }
  lastEventSeq(): Promise<number> { return this.call('lastEventSeq'); }
  createApiKey(label: string): Promise<CreatedApiKey> { return this.call('createApiKey', label); }
  verifyApiKey(key: string): Promise<{ id: number; label: string } | null> { return this.call('verifyApiKey', key); }
  revokeApiKey(id: number): Promise<boolean> { return this.call('revokeApiKey', id); }
  apiKeys(): Promise<ApiKeyInfo[]> { return this.call('apiKeys'); }
  appendIncidentRecord(item: IncidentRecordToAppend): Promise<StoredIncidentRecord> { return this.call('appendIncidentRecord', item); }
  incidentRecords(incidentId?: number, afterId?: number): Promise<StoredIncidentRecord[]> { return this.call('incidentRecords', incidentId, afterId); }
  appendPolicyChange(action: string, record: Record<string, unknown>): Promise<StoredPolicyChange> { return this.call('appendPolicyChange', action, record); }
  policyChanges(action?: string): Promise<StoredPolicyChange[]> { return this.call('policyChanges', action); }
  chainHead(): Promise<ChainEntry | null> { return this.call('chainHead'); }
  chainEntries(afterN: number, limit?: number): Promise<ChainEntryWithRecord[]> { return this.call('chainEntries', afterN, limit); }
  chainHashes(afterN: number, limit?: number): Promise<Buffer[]> { return this.call('chainHashes', afterN, limit); }
  chainEntriesOf(records: UnchainedRecord[]): Promise<ChainLocation[]> { return this.call('chainEntriesOf', records); }
  chainPositionsOfRecordHash(recordHash: Buffer): Promise<number[]> { return this.call('chainPositionsOfRecordHash', recordHash); }
  unchainedRecords(limit?: number): Promise<UnchainedRecord[]> { return this.call('unchainedRecords', limit); }
  appendCheckpoint(checkpoint: Checkpoint): Promise<Checkpoint> { return this.call('appendCheckpoint', checkpoint); }
  checkpoints(afterN?: number, limit?: number): Promise<Checkpoint[]> { return this.call('checkpoints', afterN, limit); }
  latestCheckpoint(): Promise<Checkpoint | null> { return this.call('latestCheckpoint'); }

  /** Waits for the writes already sent to commit, closes the file, and ends the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    const closing = this.failure ? Promise.resolve() : this.call<void>('close');
    this.closed = true;
    try {
      await closing;
    } finally {
      this.checkpointer.postMessage('close');
      await Promise.all([this.worker.terminate(), this.checkpointerExit]);
    }
  }
}

/** Opens the store file with its SQLite work in a worker thread. */
export function openWorkerStore(file: string): Promise<WorkerStore> {
  return WorkerStore.open(file);
}
