// The store in a PostgreSQL database, behind the same Store contract as the SQLite file: the same
// checks, duplicates, late fixes, global order and evidence chain (the chain of a PostgreSQL store
// verifies with the same code). Several lindero nodes may share one database: their writes take turns
// on one locked row (store_head), so seq and the chain follow the commit order across nodes.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { LinderoError } from '../model/index.js';
import type { Alert } from '../model/index.js';
import { pgEvidenceWrites, PgEvidenceReaders } from './pg-evidence.js';
import { isPostgresUrl, pgStoreError, redactedUrl } from './pg-errors.js';
import { storableFixRows } from './pg-batch.js';
import { ChannelListener, ForeignEvents } from './pg-notify.js';
import { PgReaders } from './pg-readers.js';
import { migratePg, type PgMigration, PG_MIGRATIONS } from './pg-schema.js';
import { PgWriter, type PgWork } from './pg-writer.js';
import type { FixParams } from './rows.js';
import type { ChainForm } from './chain.js';
import type {
  AlertQuery, ApiKeyInfo, AppendResult, ChainEntry, ChainEntryWithRecord, ChainLocation, Checkpoint, CreatedApiKey, FixToAppend,
  IncidentRecordToAppend, RulesEvaluated, Store, StoreEvent, StoredAlert, StoredFix, StoredIncidentRecord, StoredPolicyChange, UnchainedRecord,
  UnitLeaseChange, UnitLeases, UnitSummary,
} from './store.js';
import { afterCheck, checkAlert, checkCheckpoint, checkedAlerts, checkedFixParams, checkIncidentRecord, checkLabel, checkPolicyChange } from './validate.js';
import { PgLease, type Lease } from './pg-lease.js';
import { PgUnitLeases } from './pg-unit-leases.js';
import { advanceWatermarks, appendAlertsOnce, readWatermarks } from './pg-rule-writes.js';

/** One statement in a side transaction (PgStore.sideTransaction): its rows. */
export type SideQuery = <R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

/**
 * A write to the trust tables (src/trust), inside one of the store's write transactions: its statements,
 * then its chained policy record, commit together or not at all, in the chain's one order across nodes.
 */
export interface PgTrustTransaction {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** The server clock at this write (ms since epoch). */
  readonly nowMs: number;
  /** Whether an alert of this id is stored (or is being stored in this same commit). */
  alertExists(id: number): boolean;
  /** Appends the chained policy change; call it last, once the write's statements have succeeded. */
  policy(action: string, record: Record<string, unknown>): Promise<StoredPolicyChange>;
}

export interface PgStoreOptions {
  /** Server clock, ms since epoch; stamps receivedMs. Default Date.now. */
  now?: () => number;
  /**
   * A local path the files kept beside a store are named after (the evidence key: FILES.evidence-key.pem).
   * Default ./lindero-pg.
   */
  files?: string;
  /** Connections for reads. Default 4. */
  readConnections?: number;
  /** Schema steps; the default is the store's own. */
  migrations?: readonly PgMigration[];
  /**
   * The form new chain entries take (chain.ts): 'commit' (the default when the schema steps include 5), or 'record', the form of stores
   * before schema step 5, to make such stores for tests of stores whose chain switches form.
   */
  chainForm?: ChainForm;
}

// bigint (int8) columns hold ids, seq, chain positions and counts, all below 2^53: read them as numbers.
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** The commit form once the schema has its tables (step 5); a store opened with fewer steps (a test of an upgrade) writes the record form. */
function defaultChainForm(migrations: readonly PgMigration[]): ChainForm {
  return migrations.some((m) => m.version === 5) ? 'commit' : 'record';
}

export class PgStore implements Store {
  readonly kind = 'postgresql';
  private readonly readers: PgReaders;
  private readonly evidence: PgEvidenceReaders;
  private readonly writer: PgWriter;
  /** The writer's two connections (pg-writer.ts), each opened when first needed. */
  private readonly writerClients: (pg.Client | null)[] = [null, null];
  private closed = false;
  private readonly writerId = randomBytes(8).toString('hex');
  private readonly leases: (PgLease | PgUnitLeases)[] = [];
  private readonly listeners: { stop(): Promise<void> }[] = [];

  private constructor(
    private readonly url: string, private readonly pool: pg.Pool, readonly where: string, readonly file: string, private readonly now: () => number, chainForm: ChainForm,
  ) {
    this.readers = new PgReaders(pool, where);
    this.evidence = new PgEvidenceReaders(pool, where);
    this.writer = new PgWriter({
      connect: (slot) => this.connectWriter(slot),
      discard: (client) => this.discardWriter(client),
      describeError: (e) => pgStoreError(e, where),
      writerId: this.writerId,
      chainForm,
    });
  }

  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    if (!isPostgresUrl(url)) throw new LinderoError('store-cannot-open', `${url} is not a postgresql:// URL`, { field: 'db' });
    const where = redactedUrl(url);
    const pool = new pg.Pool({ connectionString: url, max: options.readConnections ?? 4, types: TYPES });
    // An idle connection the server closed (a restart, a failover) is dropped from the pool, not fatal.
    pool.on('error', () => {});
    const store = new PgStore(url, pool, where, options.files ?? './lindero-pg', options.now ?? Date.now, options.chainForm ?? defaultChainForm(options.migrations ?? PG_MIGRATIONS));
    try {
      const client = await store.connectWriter();
      await migratePg(client, where, options.migrations ?? PG_MIGRATIONS);
    } catch (e) {
      await store.closeConnections();
      throw pgStoreError(e, where);
    }
    return store;
  }

  private async connectWriter(slot: 0 | 1 = 0): Promise<pg.Client> {
    const open = this.writerClients[slot];
    if (open) return open;
    const client = new pg.Client({ connectionString: this.url, types: TYPES });
    client.on('error', () => this.discardWriter(client));
    await client.connect();
    // An acknowledgement means the commit is durable: never let a server default of "off" weaken that.
    const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    if (rows[0].synchronous_commit === 'off') await client.query('SET synchronous_commit = on');
    this.writerClients[slot] = client;
    return client;
  }

  private discardWriter(client: pg.Client): void {
    const slot = this.writerClients.indexOf(client);
    if (slot >= 0) this.writerClients[slot] = null;
    void client.end().catch(() => undefined);
  }

  /** Commits prepared while the one before was in flight, and those of them made again in turn (pg-writer.ts). */
  get pipelineStats(): { sent: number; redone: number } {
    return { sent: this.writer.aheadSent, redone: this.writer.aheadRedone };
  }

  /** Commits made and writes they carried. */
  get commitStats(): { commits: number; writes: number } {
    return { commits: this.writer.commits, writes: this.writer.tasksCommitted };
  }

  private closedError(): LinderoError {
    return new LinderoError('store-closed', `the store ${this.where} is closed`, { file: this.where });
  }

  private write<T>(work: PgWork<T>): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError());
    return this.writer.submit(work);
  }

  private read<T>(query: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError());
    let running: Promise<T>;
    try {
      running = query();
    } catch (e) {
      return Promise.reject(e);
    }
    return running.catch((e: unknown) => { throw pgStoreError(e, this.where); });
  }

  private sql<T>(run: (client: pg.Client, batch: import('./pg-batch.js').PgBatch, receivedMs: number) => Promise<T>): Promise<T> {
    return this.write<T>({ kind: 'sql', run: (client, batch) => run(client, batch, this.now()) });
  }

  appendFixes(items: FixToAppend[]): Promise<AppendResult[]> {
    return afterCheck(() => checkedFixParams(items), (rows) => this.appendFixParamsAndAlerts(rows, []).then((r) => r.fixes));
  }

  appendFixesAndAlerts(items: FixToAppend[], alerts: Alert[]): Promise<{ fixes: AppendResult[]; alerts: StoredAlert[] }> {
    return afterCheck(() => [checkedFixParams(items), checkedAlerts(alerts)] as const, ([rows, checked]) => this.appendFixParamsAndAlerts(rows, checked));
  }

  private appendFixParamsAndAlerts(rows: FixParams[], alerts: Alert[]): Promise<{ fixes: AppendResult[]; alerts: StoredAlert[] }> {
    if (rows.length === 0 && alerts.length === 0) return Promise.resolve({ fixes: [], alerts: [] });
    const fixRows = storableFixRows(rows);
    return this.write({
      kind: 'memory',
      fixRows,
      run: (batch) => {
        const receivedMs = this.now();
        const fixes = batch.appendFixRows(fixRows, receivedMs);
        return { fixes, alerts: alerts.map((alert) => batch.appendAlert(alert, receivedMs)) };
      },
    });
  }

  /** Stores the alert unless the same one (unit, kind, device time, other unit) is stored: then returns that one. */
  appendAlert(alert: Alert): Promise<StoredAlert> {
    return afterCheck(() => checkAlert(alert), () => this.sql(async (client, batch, now) => (await appendAlertsOnce(client, batch, [alert], now))[0].alert));
  }

  appendRuleAlerts(alerts: Alert[], evaluated: RulesEvaluated | null): Promise<StoredAlert[]> {
    return afterCheck(() => checkedAlerts(alerts), (checked) => this.sql(async (client, batch, now) => {
      const results = await appendAlertsOnce(client, batch, checked, now);
      await advanceWatermarks(client, evaluated);
      return results.filter((r) => r.stored).map((r) => r.alert);
    }));
  }

  ruleWatermarks(buckets: number[]): Promise<Map<number, number>> {
    return this.read(() => readWatermarks((text, values) => this.pool.query(text, values), buckets));
  }

  async unitLeases(onChange: (change: UnitLeaseChange) => void, onError?: (e: unknown) => void): Promise<UnitLeases> {
    const leases = new PgUnitLeases({ url: this.url, node: this.writerId, onChange, onError });
    this.leases.push(leases);
    await leases.start();
    return leases;
  }

  units(): Promise<UnitSummary[]> { return this.read(() => this.readers.units()); }
  track(unit: string, fromMs?: number, toMs?: number): Promise<StoredFix[]> { return this.read(() => this.readers.track(unit, fromMs, toMs)); }
  fixesInWindow(fromMs: number, toMs: number, units?: string[]): Promise<StoredFix[]> { return this.read(() => this.readers.fixesInWindow(fromMs, toMs, units)); }
  latestFixBefore(unit: string, timeMs: number): Promise<StoredFix | null> { return this.read(() => this.readers.latestFixBefore(unit, timeMs)); }
  alerts(query?: AlertQuery): Promise<StoredAlert[]> { return this.read(() => this.readers.alerts(query)); }
  eventsAfter(afterSeq: number, limit?: number): Promise<StoreEvent[]> { return this.read(() => this.readers.eventsAfter(afterSeq, limit)); }
  fixesAfter(afterSeq: number, limit?: number): Promise<{ fixes: StoredFix[]; throughSeq: number }> { return this.read(() => this.readers.fixesAfter(afterSeq, limit)); }
  lastEventSeq(): Promise<number> { return this.read(() => this.readers.lastEventSeq()); }

  createApiKey(label: string): Promise<CreatedApiKey> {
    return afterCheck(() => checkLabel(label), () => this.sql((client, batch, now) => pgEvidenceWrites.createApiKey(client, batch, label.trim(), now)));
  }

  verifyApiKey(key: string): Promise<{ id: number; label: string } | null> { return this.read(() => this.readers.verifyApiKey(key)); }
  revokeApiKey(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return Promise.resolve(false);
    return this.sql((client, batch, now) => pgEvidenceWrites.revokeApiKey(client, batch, id, now));
  }
  apiKeys(): Promise<ApiKeyInfo[]> { return this.read(() => this.readers.apiKeys()); }

  appendIncidentRecord(item: IncidentRecordToAppend): Promise<StoredIncidentRecord> {
    return afterCheck(() => checkIncidentRecord(item), () => this.sql((client, batch, now) => pgEvidenceWrites.incident(client, batch, item, now)));
  }

  incidentRecords(incidentId?: number, afterId?: number): Promise<StoredIncidentRecord[]> { return this.read(() => this.evidence.incidentRecords(incidentId, afterId)); }

  appendPolicyChange(action: string, record: Record<string, unknown>): Promise<StoredPolicyChange> {
    return afterCheck(() => checkPolicyChange(action, record), () => this.sql((client, batch, now) => pgEvidenceWrites.policy(client, batch, action, record, now)));
  }

  policyChanges(action?: string): Promise<StoredPolicyChange[]> { return this.read(() => this.evidence.policyChanges(action)); }
  chainHead(): Promise<ChainEntry | null> { return this.read(() => this.evidence.chainHead()); }
  chainEntries(afterN: number, limit?: number): Promise<ChainEntryWithRecord[]> { return this.read(() => this.evidence.chainEntries(afterN, limit)); }
  chainHashes(afterN: number, limit?: number): Promise<Buffer[]> { return this.read(() => this.evidence.chainHashes(afterN, limit)); }
  chainEntriesOf(records: UnchainedRecord[]): Promise<ChainLocation[]> { return this.read(() => this.evidence.chainEntriesOf(records)); }
  chainPositionsOfRecordHash(recordHash: Buffer): Promise<number[]> { return this.read(() => this.evidence.chainPositionsOfRecordHash(recordHash)); }
  unchainedRecords(limit?: number): Promise<UnchainedRecord[]> { return this.read(() => this.evidence.unchainedRecords(limit)); }

  appendCheckpoint(checkpoint: Checkpoint): Promise<Checkpoint> {
    return afterCheck(() => checkCheckpoint(checkpoint), () => this.sql((client, batch) => pgEvidenceWrites.checkpoint(client, batch, checkpoint)));
  }

  checkpoints(afterN?: number, limit?: number): Promise<Checkpoint[]> { return this.read(() => this.evidence.checkpoints(afterN, limit)); }
  latestCheckpoint(): Promise<Checkpoint | null> { return this.read(() => this.evidence.latestCheckpoint()); }

  /**
   * For the trust tables (src/trust): runs `work` in a write transaction (taking its turn with every other
   * write, on every node) and bumps trust_version in it, which every node's registry polls.
   */
  trustWrite<T>(work: (tx: PgTrustTransaction) => Promise<T>): Promise<T> {
    return this.sql(async (client, batch, nowMs) => {
      await client.query('UPDATE trust_version SET version = version + 1');
      return work({
        query: (text, values) => client.query(text, values),
        nowMs,
        alertExists: (id) => Number.isSafeInteger(id) && id >= 1 && id <= batch.head.alertId,
        policy: (action, record) => {
          checkPolicyChange(action, record);
          return pgEvidenceWrites.policy(client, batch, action, record, nowMs);
        },
      });
    });
  }

  /** For tables outside the evidence chain (the trust tables' reads, the sharing tables): one statement on a pooled connection. */
  sideQuery<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[]> {
    return this.read(async () => (await this.pool.query<R>(text, values)).rows);
  }

  /**
   * For tables outside the evidence chain (the sharing tables): `work` in one transaction of its own on a
   * pooled connection (not the writer's, and not under store_head's lock), committed when it resolves.
   */
  sideTransaction<T>(work: (query: SideQuery) => Promise<T>): Promise<T> {
    return this.read(async () => {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(async (text, values = []) => (await client.query(text, values)).rows);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => { broken = true; });
        throw e;
      } finally {
        client.release(broken);
      }
    });
  }

  /** Tells every node listening on `channel` (listen()), this one too, `payload` (PostgreSQL's NOTIFY, at most 8,000 bytes). */
  async notify(channel: string, payload: string): Promise<void> {
    await this.sideQuery('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /** Calls `onPayload` with what is notified on `channel` from now on, while the store is open. */
  async listen(channel: string, onPayload: (payload: string) => void, onError: (e: unknown) => void = () => {}): Promise<void> {
    const listener = new ChannelListener(this.url, TYPES, channel, onPayload, onError);
    await listener.start();
    this.listeners.push(listener);
  }

  /** This store object's id among the nodes writing to the database. */
  get nodeId(): string {
    return this.writerId;
  }

  /**
   * Calls `onEvents` with the fixes and alerts other nodes (other PgStores on the same database) commit,
   * in their commit order; resolves once listening.
   */
  async onOtherWrites(onEvents: (events: StoreEvent[]) => void, onError: (e: unknown) => void = () => {}): Promise<void> {
    const feed = new ForeignEvents({
      url: this.url, types: TYPES, writerId: this.writerId, eventsAfter: (afterSeq, limit) => this.eventsAfter(afterSeq, limit), onEvents, onError,
    });
    await feed.start();
    this.listeners.push(feed);
  }

  async lease(name: string, onChange: (held: boolean) => void): Promise<Lease> {
    const lease = new PgLease(this.url, name, onChange);
    this.leases.push(lease);
    await lease.start();
    return lease;
  }

  private async closeConnections(): Promise<void> {
    await Promise.all([...this.listeners.splice(0).map((feed) => feed.stop()), ...this.leases.splice(0).map((lease) => lease.stop())]);
    const clients = this.writerClients.splice(0, 2, null, null);
    await Promise.all([...clients.map((c) => c?.end().catch(() => undefined)), this.pool.end().catch(() => undefined)]);
  }

  /** Waits for writes already accepted to commit (their callers answered), then closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.flush();
    await this.closeConnections();
  }
}

/** Opens (migrating when needed) the store in the PostgreSQL database at `url`. */
export function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  return PgStore.open(url, options);
}
