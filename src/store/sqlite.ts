import BetterSqlite3, { type Database } from 'better-sqlite3';
import { LinderoError, type Alert } from '../model/index.js';
import type { ChainForm } from './chain.js';
import { GroupCommit } from './group-commit.js';
import { openDatabase, type OpenOptions } from './open.js';
import { migrate } from './schema.js';
import { EvidenceReaders } from './evidence-readers.js';
import { Readers } from './readers.js';
import { storeError } from './sqlite-errors.js';
import type {
  AlertQuery, ApiKeyInfo, AppendResult, ChainEntry, ChainEntryWithRecord, ChainLocation, Checkpoint, CreatedApiKey, FixToAppend,
  IncidentRecordToAppend, Store, StoreEvent, StoredAlert, StoredFix, StoredIncidentRecord, StoredPolicyChange, UnchainedRecord,
  UnitSummary,
} from './store.js';
import { afterCheck, checkAlert, checkCheckpoint, checkedAlerts, checkedFixParams, checkIncidentRecord, checkLabel, checkPolicyChange } from './validate.js';
import { Writers } from './writers.js';
import type { FixParams } from './rows.js';

export interface SqliteStoreOptions extends OpenOptions {
  /** Server clock, ms since epoch; stamps receivedMs. Default Date.now. */
  now?: () => number;
  /**
   * The form new chain entries take (chain.ts): 'commit' (the default), or 'record', the form of stores
   * before schema step 6, to make such stores for tests of stores whose chain switches form.
   */
  chainForm?: ChainForm;
}

/** The store in one SQLite file (WAL, synchronous=FULL), with group commit for durable, fast acknowledgements. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly readers: Readers;
  private readonly evidence: EvidenceReaders;
  private readonly writers: Writers;
  private readonly commits: GroupCommit;
  private closed = false;

  constructor(private readonly db: Database, readonly file: string, private readonly now: () => number = Date.now, chainForm: ChainForm = 'commit') {
    this.readers = new Readers(db, file);
    this.evidence = new EvidenceReaders(db, file);
    this.writers = new Writers(db, chainForm);
    const batch = db.transaction((body: () => void) => body());
    // A transaction function called inside another transaction runs as a SAVEPOINT.
    const savepoint = db.transaction((work: () => unknown) => work());
    // Changes when another connection (another process: `lindero key create`) commits to the file; the
    // writers' caches hold only while it does not.
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    let seenVersion: unknown = null;
    this.commits = new GroupCommit({
      inTransaction: (body) => {
        try {
          batch.immediate(() => {
            const version = dataVersion.get();
            if (version !== seenVersion) this.writers.forgetCaches();
            seenVersion = version;
            body();
            // The commit's chain entry, over the records its work stored (those of failed work rolled back).
            this.writers.sealChain();
          });
        } catch (e) {
          this.writers.forgetCaches();
          throw e;
        }
      },
      inSavepoint: <T>(work: () => T) => {
        try {
          return savepoint(work) as T;
        } catch (e) {
          this.writers.forgetCaches();
          throw e;
        }
      },
      isOpen: () => db.inTransaction,
      describeError: (e) => storeError(e, file),
    });
  }

  /** Commits made and writes they carried: writes per commit shows how well group commit is working. */
  get commitStats(): { commits: number; writes: number } {
    return { commits: this.commits.commits, writes: this.commits.tasksCommitted };
  }

  private write<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError());
    return this.commits.submit(work);
  }

  private read<T>(query: () => T): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError());
    try {
      return Promise.resolve(query());
    } catch (e) {
      return Promise.reject(storeError(e, this.file));
    }
  }

  private closedError(): LinderoError {
    return new LinderoError('store-closed', `the store ${this.file} is closed`, { file: this.file });
  }

  appendFixes(items: FixToAppend[]): Promise<AppendResult[]> {
    return afterCheck(() => checkedFixParams(items), (rows) => this.appendFixParams(rows));
  }

  appendFixesAndAlerts(items: FixToAppend[], alerts: Alert[]): Promise<{ fixes: AppendResult[]; alerts: StoredAlert[] }> {
    return afterCheck(() => [checkedFixParams(items), checkedAlerts(alerts)] as const, ([rows, checked]) => this.appendFixParamsAndAlerts(rows, checked));
  }

  /**
   * appendFixes for fixes already checked and encoded by fixParams (what WorkerStore sends its worker:
   * flat rows cross threads cheaper than objects). Not for outside callers: nothing is checked here.
   */
  appendFixParams(rows: FixParams[]): Promise<AppendResult[]> {
    return this.appendFixParamsAndAlerts(rows, []).then((r) => r.fixes);
  }

  /** appendFixesAndAlerts for checked fixes encoded by fixParams and checked alerts (WorkerStore's call). */
  appendFixParamsAndAlerts(rows: FixParams[], alerts: Alert[]): Promise<{ fixes: AppendResult[]; alerts: StoredAlert[] }> {
    // Nothing to store: answered at once, without a commit.
    if (rows.length === 0 && alerts.length === 0) return Promise.resolve({ fixes: [], alerts: [] });
    return this.write(() => {
      const receivedMs = this.now();
      const fixes = this.writers.appendFixRows(rows, receivedMs);
      return { fixes, alerts: alerts.map((alert) => this.writers.appendAlert(alert, receivedMs)) };
    });
  }

  appendAlert(alert: Alert): Promise<StoredAlert> {
    try {
      checkAlert(alert);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.write(() => this.writers.appendAlert(alert, this.now()));
  }

  units(): Promise<UnitSummary[]> {
    return this.read(() => this.readers.units());
  }

  track(unit: string, fromMs?: number, toMs?: number): Promise<StoredFix[]> {
    return this.read(() => this.readers.track(unit, fromMs, toMs));
  }

  fixesInWindow(fromMs: number, toMs: number, units?: string[]): Promise<StoredFix[]> {
    return this.read(() => this.readers.fixesInWindow(fromMs, toMs, units));
  }

  latestFixBefore(unit: string, timeMs: number): Promise<StoredFix | null> {
    return this.read(() => this.readers.latestFixBefore(unit, timeMs));
  }

  alerts(query?: AlertQuery): Promise<StoredAlert[]> {
    return this.read(() => this.readers.alerts(query));
  }

  lastEventSeq(): Promise<number> {
    return this.read(() => this.readers.lastEventSeq());
  }

  eventsAfter(afterSeq: number, limit?: number): Promise<StoreEvent[]> {
    return this.read(() => this.readers.eventsAfter(afterSeq, limit));
  }

  createApiKey(label: string): Promise<CreatedApiKey> {
    try {
      checkLabel(label);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.write(() => this.writers.createApiKey(label.trim(), this.now()));
  }

  verifyApiKey(key: string): Promise<{ id: number; label: string } | null> {
    return this.read(() => this.readers.verifyApiKey(key));
  }

  revokeApiKey(id: number): Promise<boolean> {
    return this.write(() => this.writers.revokeApiKey(id, this.now()));
  }

  apiKeys(): Promise<ApiKeyInfo[]> {
    return this.read(() => this.readers.apiKeys());
  }

  appendIncidentRecord(item: IncidentRecordToAppend): Promise<StoredIncidentRecord> {
    return this.checked(() => checkIncidentRecord(item), () => this.writers.evidence.appendIncidentRecord(item, this.now()));
  }

  incidentRecords(incidentId?: number, afterId?: number): Promise<StoredIncidentRecord[]> {
    return this.read(() => this.evidence.incidentRecords(incidentId, afterId));
  }

  appendPolicyChange(action: string, record: Record<string, unknown>): Promise<StoredPolicyChange> {
    return this.checked(() => checkPolicyChange(action, record), () => this.writers.evidence.appendPolicyChange(action, record, this.now()));
  }

  policyChanges(action?: string): Promise<StoredPolicyChange[]> {
    return this.read(() => this.evidence.policyChanges(action));
  }

  chainHead(): Promise<ChainEntry | null> {
    return this.read(() => this.evidence.chainHead());
  }

  chainHashes(afterN: number, limit?: number): Promise<Buffer[]> {
    return this.read(() => this.evidence.chainHashes(afterN, limit));
  }

  chainEntries(afterN: number, limit?: number): Promise<ChainEntryWithRecord[]> {
    return this.read(() => this.evidence.chainEntries(afterN, limit));
  }

  chainEntriesOf(records: UnchainedRecord[]): Promise<ChainLocation[]> {
    return this.read(() => this.evidence.chainEntriesOf(records));
  }

  chainPositionsOfRecordHash(recordHash: Buffer): Promise<number[]> {
    return this.read(() => this.evidence.chainPositionsOfRecordHash(recordHash));
  }

  unchainedRecords(limit?: number): Promise<UnchainedRecord[]> {
    return this.read(() => this.evidence.unchainedRecords(limit));
  }

  appendCheckpoint(checkpoint: Checkpoint): Promise<Checkpoint> {
    return this.checked(() => checkCheckpoint(checkpoint), () => this.writers.evidence.appendCheckpoint(checkpoint));
  }

  checkpoints(afterN?: number, limit?: number): Promise<Checkpoint[]> {
    return this.read(() => this.evidence.checkpoints(afterN, limit));
  }

  latestCheckpoint(): Promise<Checkpoint | null> {
    return this.read(() => this.evidence.latestCheckpoint());
  }

  /** A write whose input is checked first: bad input rejects without queuing anything. */
  private checked<T>(check: () => void, work: () => T): Promise<T> {
    return afterCheck(check, () => this.write(work));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Writes already accepted are committed (and their callers answered) before the file closes.
    this.commits.flush();
    this.db.close();
  }
}

/** Opens or creates the store file, migrating an older schema; errors are LinderoErrors naming the file. */
export async function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const db = openDatabase(file, options);
  return new SqliteStore(db, file, options.now, options.chainForm);
}

/**
 * A store held in memory only (SQLite's ":memory:" database, the same schema and statements as a file):
 * for unit tests of what sits on the store, such as the live pipeline. Nothing survives close().
 */
export function openMemoryStore(options: { now?: () => number } = {}): SqliteStore {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, ':memory:');
  return new SqliteStore(db, ':memory:', options.now);
}
