// The sharing tables: their contract (ShareTables), and their SQLite form, a file of their own beside a
// SQLite store (store-schema.ts); with a PostgreSQL store they are the database's (share-pg.ts), shared by
// every node. Every change that must survive a crash is one transaction: records and the cursor that
// produced them, received records and the sequence number that acknowledges them.
import Database from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import type { Outbound } from './policy.js';
import type { MessageRecord, PositionRecord, ShareRecord } from './records.js';
import { SHARE_APPLICATION_ID, SHARE_SCHEMA_SQL, SHARE_SCHEMA_VERSION } from './store-schema.js';

export interface LinkRow {
  partner: string;
  next_seq: number;
  acked_seq: number;
  received_seq: number;
  store_cursor: number;
}

export interface OutboxRow {
  seq: number;
  body_json: string;
}

export interface PartnerUnitRow {
  partner: string;
  unit: string;
  time_ms: number;
  first_time_ms: number;
  record_count: number;
  seq: number;
  received_ms: number;
  body_json: string;
}

export interface MessageRow {
  id: number;
  partner: string;
  direction: 'out' | 'in';
  seq: number | null;
  template: string;
  params_json: string;
  text_en: string;
  text_es: string;
  created_ms: number;
  delivered_ms: number | null;
}

/** One received record: its place in the partner's sequence and either the record or why it was refused. */
export interface Received {
  seq: number;
  record: ShareRecord | null;
  problem: string | null;
  text: string;
}

/** The sharing tables, wherever they are kept. */
export interface ShareTables {
  /** Where they are, as it may be shown. */
  readonly file: string;
  close(): Promise<void>;
  /** The link's row, created on first use with the store's current end as the cursor (share from now on). */
  link(partner: string): Promise<LinkRow>;
  sharedUnits(partner: string): Promise<Set<string>>;
  /**
   * Queues what the policy let through for store events after `fromCursor` up to `cursor`, then releases what
   * is due; returns how many were released. Nothing is queued, and the result is null, when the cursor is no
   * longer at `fromCursor` (another node fed the partner meanwhile).
   */
  enqueue(partner: string, items: Outbound[], fromCursor: number, cursor: number, shared: Set<string>, nowMs: number): Promise<number | null>;
  /** Numbers the pending records that are due, in due order, into the outbox. */
  release(partner: string, nowMs: number): Promise<number>;
  /** Earliest due time of any pending record, or null. */
  nextDueMs(): Promise<number | null>;
  pendingCount(partner: string): Promise<number>;
  outboxAfter(partner: string, afterSeq: number, limit: number): Promise<OutboxRow[]>;
  /** Records the partner's acknowledgement; returns the outgoing messages it delivered. */
  acknowledge(partner: string, seq: number, nowMs: number): Promise<MessageRow[]>;
  /** Stores a batch of received records in order; the partner's sequence must continue without a gap. */
  receive(partner: string, batch: Received[], nowMs: number): Promise<{ stored: Received[]; receivedSeq: number }>;
  /** Partner units currently shown (not withdrawn by a leave record). */
  partnerUnits(): Promise<PartnerUnitRow[]>;
  partnerUnit(partner: string, unit: string): Promise<(PartnerUnitRow & { gone: number }) | null>;
  /** Queues an operator's message: numbered into the outbox at once (messages are never delayed). */
  sendMessage(partner: string, build: (id: number) => MessageRecord, nowMs: number): Promise<MessageRow>;
  messageBySeq(partner: string, seq: number): Promise<MessageRow | null>;
  messages(partner: string, limit?: number): Promise<MessageRow[]>;
  /** The latest received records of one kind from a partner (newest last). */
  inbox(partner: string, kind: string, limit: number): Promise<{ seq: number; received_ms: number; body_json: string }[]>;
  encounters(): Promise<{ partner: string; home_unit: string; partner_unit: string }[]>;
  setEncounter(partner: string, homeUnit: string, partnerUnit: string, on: boolean): Promise<void>;
}

/** What a received record adds to the tables, whatever holds them. */
export function inboxRow(item: Received): { kind: string; unit: string | null; timeMs: number | null; body: string } {
  const r = item.record;
  return {
    kind: r ? r.kind : 'refused',
    unit: r && 'unit' in r ? r.unit : null,
    timeMs: r ? r.time_ms : null,
    body: r ? item.text : JSON.stringify({ problem: item.problem, text: item.text.slice(0, 2000) }),
  };
}

/**
 * The records of a batch still to store after the partner's `receivedSeq`, in order: those sent again after
 * a reconnect (already stored once) left out; a gap in the sequence is an error.
 */
export function toStore(partner: string, batch: Received[], receivedSeq: number): Received[] {
  const fresh: Received[] = [];
  let last = receivedSeq;
  for (const item of batch) {
    if (item.seq <= last) continue;
    if (item.seq !== last + 1) throw new LinderoError('share-sequence', `record ${item.seq} from ${partner} skips past ${last + 1}`);
    fresh.push(item);
    last = item.seq;
  }
  return fresh;
}

/** The sharing tables in a SQLite file of their own beside a SQLite store. */
export class SqliteShareTables implements ShareTables {
  private readonly db!: Database.Database;

  /**
   * Opens (creating if needed) the sharing file. `storeEnd` gives the store's last event seq: where a
   * partner seen for the first time starts (sharing begins when the partner is configured, not before).
   */
  constructor(readonly file: string, private readonly storeEnd: () => number) {
    try {
      this.db = new Database(file, { timeout: 5000 });
      this.db.pragma('journal_mode = WAL');
      // As the store: an acknowledgement to a partner is a promise the record survives power loss.
      this.db.pragma('synchronous = FULL');
      this.migrate();
    } catch (e) {
      this.db?.close();
      if (e instanceof LinderoError) throw e;
      throw new LinderoError('share-store', `${file}: cannot open the sharing file: ${(e as Error).message}`, { file });
    }
  }

  private migrate(): void {
    this.db.transaction(() => {
      const appId = this.db.pragma('application_id', { simple: true }) as number;
      const version = this.db.pragma('user_version', { simple: true }) as number;
      const empty = this.db.prepare("SELECT 1 FROM sqlite_schema LIMIT 1").get() === undefined;
      if (version === SHARE_SCHEMA_VERSION && appId === SHARE_APPLICATION_ID) return;
      if (!empty || appId !== 0) {
        throw new LinderoError('share-store', `${this.file} is not a lindero sharing file this version understands (application_id ${appId}, version ${version})`, { file: this.file });
      }
      this.db.exec(SHARE_SCHEMA_SQL);
      this.db.pragma(`application_id = ${SHARE_APPLICATION_ID}`);
      this.db.pragma(`user_version = ${SHARE_SCHEMA_VERSION}`);
    }).immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async link(partner: string): Promise<LinkRow> {
    return this.linkRow(partner);
  }

  private linkRow(partner: string): LinkRow {
    const row = this.db.prepare('SELECT * FROM share_links WHERE partner = ?').get(partner) as LinkRow | undefined;
    if (row) return row;
    const end = this.storeEnd();
    this.db.prepare('INSERT INTO share_links VALUES (?, 1, 0, 0, ?)').run(partner, end);
    return { partner, next_seq: 1, acked_seq: 0, received_seq: 0, store_cursor: end };
  }

  async sharedUnits(partner: string): Promise<Set<string>> {
    return new Set(this.db.prepare('SELECT unit FROM share_shared_units WHERE partner = ?').pluck().all(partner) as string[]);
  }

  async enqueue(partner: string, items: Outbound[], fromCursor: number, cursor: number, shared: Set<string>, nowMs: number): Promise<number | null> {
    return this.db.transaction(() => {
      if (this.linkRow(partner).store_cursor !== fromCursor) return null;
      const insert = this.db.prepare('INSERT INTO share_pending (partner, due_ms, body_json) VALUES (?, ?, ?)');
      for (const item of items) insert.run(partner, item.dueMs, JSON.stringify(item.record));
      this.db.prepare('DELETE FROM share_shared_units WHERE partner = ?').run(partner);
      const add = this.db.prepare('INSERT INTO share_shared_units VALUES (?, ?)');
      for (const unit of shared) add.run(partner, unit);
      this.db.prepare('UPDATE share_links SET store_cursor = ? WHERE partner = ?').run(cursor, partner);
      return this.releaseInTransaction(partner, nowMs);
    }).immediate();
  }

  async release(partner: string, nowMs: number): Promise<number> {
    return this.db.transaction(() => this.releaseInTransaction(partner, nowMs)).immediate();
  }

  private releaseInTransaction(partner: string, nowMs: number): number {
    const due = this.db.prepare('SELECT id, body_json FROM share_pending WHERE partner = ? AND due_ms <= ? ORDER BY due_ms, id')
      .all(partner, nowMs) as { id: number; body_json: string }[];
    for (const row of due) {
      this.appendInTransaction(partner, row.body_json, nowMs);
      this.db.prepare('DELETE FROM share_pending WHERE id = ?').run(row.id);
    }
    return due.length;
  }

  private appendInTransaction(partner: string, bodyJson: string, nowMs: number): number {
    const seq = this.db.prepare('UPDATE share_links SET next_seq = next_seq + 1 WHERE partner = ? RETURNING next_seq - 1').pluck().get(partner) as number;
    const kind = (JSON.parse(bodyJson) as { kind: string }).kind;
    this.db.prepare('INSERT INTO share_outbox VALUES (?, ?, ?, ?, ?)').run(partner, seq, kind, nowMs, bodyJson);
    return seq;
  }

  async nextDueMs(): Promise<number | null> {
    return this.db.prepare('SELECT min(due_ms) FROM share_pending').pluck().get() as number | null;
  }

  async pendingCount(partner: string): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM share_pending WHERE partner = ?').pluck().get(partner) as number;
  }

  async outboxAfter(partner: string, afterSeq: number, limit: number): Promise<OutboxRow[]> {
    return this.db.prepare('SELECT seq, body_json FROM share_outbox WHERE partner = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(partner, afterSeq, limit) as OutboxRow[];
  }

  async acknowledge(partner: string, seq: number, nowMs: number): Promise<MessageRow[]> {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE share_links SET acked_seq = max(acked_seq, ?) WHERE partner = ?').run(seq, partner);
      return this.db.prepare(`UPDATE share_messages SET delivered_ms = ? WHERE partner = ? AND direction = 'out'
        AND delivered_ms IS NULL AND seq <= ? RETURNING *`).all(nowMs, partner, seq) as MessageRow[];
    }).immediate();
  }

  async receive(partner: string, batch: Received[], nowMs: number): Promise<{ stored: Received[]; receivedSeq: number }> {
    return this.db.transaction(() => {
      const received = this.linkRow(partner).received_seq;
      const stored = toStore(partner, batch, received);
      for (const item of stored) {
        const r = item.record;
        const { kind, unit, timeMs, body } = inboxRow(item);
        this.db.prepare('INSERT INTO share_inbox VALUES (?, ?, ?, ?, ?, ?, ?)').run(partner, item.seq, kind, unit, timeMs, nowMs, body);
        if (r?.kind === 'position') this.updateUnit(partner, item.seq, r, nowMs);
        if (r?.kind === 'leave') this.db.prepare('UPDATE share_partner_units SET gone = 1 WHERE partner = ? AND unit = ? AND time_ms <= ?').run(partner, r.unit, r.time_ms);
        if (r?.kind === 'message') this.insertMessage(partner, 'in', item.seq, r, nowMs, nowMs);
      }
      const last = stored.at(-1)?.seq ?? received;
      this.db.prepare('UPDATE share_links SET received_seq = ? WHERE partner = ?').run(last, partner);
      return { stored, receivedSeq: last };
    }).immediate();
  }

  private updateUnit(partner: string, seq: number, r: PositionRecord, nowMs: number): void {
    // Only a newer position moves the unit; an older one (sent late) is kept in the inbox as history.
    this.db.prepare(`INSERT INTO share_partner_units VALUES (@partner, @unit, @time, 0, @time, 1, @seq, @now, @body)
      ON CONFLICT (partner, unit) DO UPDATE SET
        record_count = record_count + 1,
        first_time_ms = min(first_time_ms, excluded.time_ms),
        gone = CASE WHEN excluded.time_ms > time_ms THEN 0 ELSE gone END,
        seq = CASE WHEN excluded.time_ms >= time_ms THEN excluded.seq ELSE seq END,
        received_ms = CASE WHEN excluded.time_ms >= time_ms THEN excluded.received_ms ELSE received_ms END,
        body_json = CASE WHEN excluded.time_ms >= time_ms THEN excluded.body_json ELSE body_json END,
        time_ms = max(time_ms, excluded.time_ms)`)
      .run({ partner, unit: r.unit, time: r.time_ms, seq, now: nowMs, body: JSON.stringify(r) });
  }

  async partnerUnits(): Promise<PartnerUnitRow[]> {
    return this.db.prepare('SELECT * FROM share_partner_units WHERE gone = 0 ORDER BY partner, unit').all() as PartnerUnitRow[];
  }

  async partnerUnit(partner: string, unit: string): Promise<(PartnerUnitRow & { gone: number }) | null> {
    return (this.db.prepare('SELECT * FROM share_partner_units WHERE partner = ? AND unit = ?').get(partner, unit) as (PartnerUnitRow & { gone: number }) | undefined) ?? null;
  }

  async sendMessage(partner: string, build: (id: number) => MessageRecord, nowMs: number): Promise<MessageRow> {
    return this.db.transaction(() => {
      const id = (this.db.prepare('SELECT coalesce(max(id), 0) + 1 FROM share_messages').pluck().get() as number);
      const record = build(id);
      const seq = this.appendInTransaction(partner, JSON.stringify(record), nowMs);
      return this.insertMessage(partner, 'out', seq, record, nowMs, null, id);
    }).immediate();
  }

  private insertMessage(partner: string, direction: 'in' | 'out', seq: number, r: MessageRecord, nowMs: number, deliveredMs: number | null, id?: number): MessageRow {
    return this.db.prepare('INSERT INTO share_messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *')
      .get(id ?? null, partner, direction, seq, r.template, JSON.stringify(r.params), r.text_en, r.text_es, nowMs, deliveredMs) as MessageRow;
  }

  async messageBySeq(partner: string, seq: number): Promise<MessageRow | null> {
    return (this.db.prepare("SELECT * FROM share_messages WHERE partner = ? AND direction = 'in' AND seq = ?").get(partner, seq) as MessageRow | undefined) ?? null;
  }

  async messages(partner: string, limit = 200): Promise<MessageRow[]> {
    return this.db.prepare('SELECT * FROM (SELECT * FROM share_messages WHERE partner = ? ORDER BY id DESC LIMIT ?) ORDER BY id')
      .all(partner, limit) as MessageRow[];
  }

  async inbox(partner: string, kind: string, limit: number): Promise<{ seq: number; received_ms: number; body_json: string }[]> {
    return this.db.prepare(`SELECT * FROM (SELECT seq, received_ms, body_json FROM share_inbox WHERE partner = ? AND kind = ?
      ORDER BY seq DESC LIMIT ?) ORDER BY seq`).all(partner, kind, limit) as { seq: number; received_ms: number; body_json: string }[];
  }

  async encounters(): Promise<{ partner: string; home_unit: string; partner_unit: string }[]> {
    return this.db.prepare('SELECT * FROM share_encounters').all() as { partner: string; home_unit: string; partner_unit: string }[];
  }

  async setEncounter(partner: string, homeUnit: string, partnerUnit: string, on: boolean): Promise<void> {
    if (on) this.db.prepare('INSERT OR IGNORE INTO share_encounters VALUES (?, ?, ?)').run(partner, homeUnit, partnerUnit);
    else this.db.prepare('DELETE FROM share_encounters WHERE partner = ? AND home_unit = ? AND partner_unit = ?').run(partner, homeUnit, partnerUnit);
  }
}
