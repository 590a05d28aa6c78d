// The sharing tables in a PostgreSQL store (its schema step 7), shared by every node on the database: the
// same contract and the same transactions as the SQLite sharing file (share-db.ts). Only the node holding
// the partner links' lease writes the links' state (service.ts); any node may queue a message.
import type { PgStore, SideQuery } from '../store/index.js';
import type { Outbound } from './policy.js';
import type { MessageRecord, PositionRecord } from './records.js';
import {
  inboxRow, toStore, type LinkRow, type MessageRow, type OutboxRow, type PartnerUnitRow, type Received, type ShareTables,
} from './share-db.js';

const MESSAGE = 'id, partner, direction, seq, template, params_json, text_en, text_es, created_ms, delivered_ms';

export class PgShareTables implements ShareTables {
  readonly file: string;

  /** On an open store; closing this leaves the store open (its owner closes it). `storeEnd` as in SqliteShareTables. */
  constructor(private readonly store: PgStore, private readonly storeEnd: () => number) {
    this.file = store.file;
  }

  async close(): Promise<void> {}

  link(partner: string): Promise<LinkRow> {
    return this.store.sideTransaction((q) => this.linkRow(q, partner));
  }

  private async linkRow(q: SideQuery, partner: string, forUpdate = false): Promise<LinkRow> {
    const [row] = await q<LinkRow>(`SELECT * FROM share_links WHERE partner = $1${forUpdate ? ' FOR UPDATE' : ''}`, [partner]);
    if (row) return row;
    await q('INSERT INTO share_links VALUES ($1, 1, 0, 0, $2) ON CONFLICT (partner) DO NOTHING', [partner, this.storeEnd()]);
    const [created] = await q<LinkRow>(`SELECT * FROM share_links WHERE partner = $1${forUpdate ? ' FOR UPDATE' : ''}`, [partner]);
    return created;
  }

  async sharedUnits(partner: string): Promise<Set<string>> {
    const rows = await this.store.sideQuery<{ unit: string }>('SELECT unit FROM share_shared_units WHERE partner = $1', [partner]);
    return new Set(rows.map((r) => r.unit));
  }

  enqueue(partner: string, items: Outbound[], fromCursor: number, cursor: number, shared: Set<string>, nowMs: number): Promise<number | null> {
    return this.store.sideTransaction(async (q) => {
      // The link's row locked: a node that lost the links while feeding cannot queue the same events again.
      if ((await this.linkRow(q, partner, true)).store_cursor !== fromCursor) return null;
      if (items.length > 0) {
        await q('INSERT INTO share_pending (partner, due_ms, body_json) SELECT $1, d, b FROM unnest($2::float8[], $3::text[]) AS t(d, b)',
          [partner, items.map((i) => i.dueMs), items.map((i) => JSON.stringify(i.record))]);
      }
      await q('DELETE FROM share_shared_units WHERE partner = $1', [partner]);
      if (shared.size > 0) await q('INSERT INTO share_shared_units SELECT $1, u FROM unnest($2::text[]) AS u', [partner, [...shared]]);
      await q('UPDATE share_links SET store_cursor = $1 WHERE partner = $2', [cursor, partner]);
      return this.releaseIn(q, partner, nowMs);
    });
  }

  release(partner: string, nowMs: number): Promise<number> {
    return this.store.sideTransaction((q) => this.releaseIn(q, partner, nowMs));
  }

  private async releaseIn(q: SideQuery, partner: string, nowMs: number): Promise<number> {
    const due = await q<{ id: number; due_ms: number; body_json: string }>(
      'DELETE FROM share_pending WHERE partner = $1 AND due_ms <= $2 RETURNING id, due_ms, body_json', [partner, nowMs]);
    // In due order, as in the SQLite file.
    due.sort((a, b) => a.due_ms - b.due_ms || a.id - b.id);
    for (const row of due) await this.appendIn(q, partner, row.body_json, nowMs);
    return due.length;
  }

  private async appendIn(q: SideQuery, partner: string, bodyJson: string, nowMs: number): Promise<number> {
    const [{ seq }] = await q<{ seq: number }>('UPDATE share_links SET next_seq = next_seq + 1 WHERE partner = $1 RETURNING next_seq - 1 AS seq', [partner]);
    const kind = (JSON.parse(bodyJson) as { kind: string }).kind;
    await q('INSERT INTO share_outbox VALUES ($1, $2, $3, $4, $5)', [partner, seq, kind, nowMs, bodyJson]);
    return seq;
  }

  async nextDueMs(): Promise<number | null> {
    const [row] = await this.store.sideQuery<{ due: number | null }>('SELECT min(due_ms) AS due FROM share_pending');
    return row.due;
  }

  async pendingCount(partner: string): Promise<number> {
    const [row] = await this.store.sideQuery<{ n: number }>('SELECT count(*)::int AS n FROM share_pending WHERE partner = $1', [partner]);
    return row.n;
  }

  outboxAfter(partner: string, afterSeq: number, limit: number): Promise<OutboxRow[]> {
    return this.store.sideQuery<OutboxRow>('SELECT seq, body_json FROM share_outbox WHERE partner = $1 AND seq > $2 ORDER BY seq LIMIT $3', [partner, afterSeq, limit]);
  }

  acknowledge(partner: string, seq: number, nowMs: number): Promise<MessageRow[]> {
    return this.store.sideTransaction(async (q) => {
      await q('UPDATE share_links SET acked_seq = greatest(acked_seq, $1) WHERE partner = $2', [seq, partner]);
      return q<MessageRow>(`UPDATE share_messages SET delivered_ms = $1 WHERE partner = $2 AND direction = 'out'
        AND delivered_ms IS NULL AND seq <= $3 RETURNING ${MESSAGE}`, [nowMs, partner, seq]);
    });
  }

  receive(partner: string, batch: Received[], nowMs: number): Promise<{ stored: Received[]; receivedSeq: number }> {
    return this.store.sideTransaction(async (q) => {
      const received = (await this.linkRow(q, partner, true)).received_seq;
      const stored = toStore(partner, batch, received);
      for (const item of stored) {
        const r = item.record;
        const { kind, unit, timeMs, body } = inboxRow(item);
        await q('INSERT INTO share_inbox VALUES ($1, $2, $3, $4, $5, $6, $7)', [partner, item.seq, kind, unit, timeMs, nowMs, body]);
        if (r?.kind === 'position') await this.updateUnit(q, partner, item.seq, r, nowMs);
        if (r?.kind === 'leave') await q('UPDATE share_partner_units SET gone = 1 WHERE partner = $1 AND unit = $2 AND time_ms <= $3', [partner, r.unit, r.time_ms]);
        if (r?.kind === 'message') await this.insertMessage(q, partner, 'in', item.seq, r, nowMs, nowMs);
      }
      const last = stored.at(-1)?.seq ?? received;
      await q('UPDATE share_links SET received_seq = $1 WHERE partner = $2', [last, partner]);
      return { stored, receivedSeq: last };
    });
  }

  private async updateUnit(q: SideQuery, partner: string, seq: number, r: PositionRecord, nowMs: number): Promise<void> {
    // Only a newer position moves the unit; an older one (sent late) is kept in the inbox as history.
    await q(`INSERT INTO share_partner_units AS u VALUES ($1, $2, $3, 0, $3, 1, $4, $5, $6)
      ON CONFLICT (partner, unit) DO UPDATE SET
        record_count = u.record_count + 1,
        first_time_ms = least(u.first_time_ms, excluded.time_ms),
        gone = CASE WHEN excluded.time_ms > u.time_ms THEN 0 ELSE u.gone END,
        seq = CASE WHEN excluded.time_ms >= u.time_ms THEN excluded.seq ELSE u.seq END,
        received_ms = CASE WHEN excluded.time_ms >= u.time_ms THEN excluded.received_ms ELSE u.received_ms END,
        body_json = CASE WHEN excluded.time_ms >= u.time_ms THEN excluded.body_json ELSE u.body_json END,
        time_ms = greatest(u.time_ms, excluded.time_ms)`, [partner, r.unit, r.time_ms, seq, nowMs, JSON.stringify(r)]);
  }

  partnerUnits(): Promise<PartnerUnitRow[]> {
    return this.store.sideQuery<PartnerUnitRow>('SELECT * FROM share_partner_units WHERE gone = 0 ORDER BY partner, unit');
  }

  async partnerUnit(partner: string, unit: string): Promise<(PartnerUnitRow & { gone: number }) | null> {
    const [row] = await this.store.sideQuery<PartnerUnitRow & { gone: number }>('SELECT * FROM share_partner_units WHERE partner = $1 AND unit = $2', [partner, unit]);
    return row ?? null;
  }

  sendMessage(partner: string, build: (id: number) => MessageRecord, nowMs: number): Promise<MessageRow> {
    return this.store.sideTransaction(async (q) => {
      await this.linkRow(q, partner, true);
      const [{ id }] = await q<{ id: number }>("SELECT nextval(pg_get_serial_sequence('share_messages', 'id')) AS id");
      const record = build(id);
      const seq = await this.appendIn(q, partner, JSON.stringify(record), nowMs);
      return this.insertMessage(q, partner, 'out', seq, record, nowMs, null, id);
    });
  }

  private async insertMessage(q: SideQuery, partner: string, direction: 'in' | 'out', seq: number, r: MessageRecord, nowMs: number, deliveredMs: number | null, id?: number): Promise<MessageRow> {
    const values = [partner, direction, seq, r.template, JSON.stringify(r.params), r.text_en, r.text_es, nowMs, deliveredMs];
    const [row] = id === undefined
      ? await q<MessageRow>(`INSERT INTO share_messages (${MESSAGE.slice(4)}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${MESSAGE}`, values)
      : await q<MessageRow>(`INSERT INTO share_messages (${MESSAGE}) VALUES ($10, $1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${MESSAGE}`, [...values, id]);
    return row;
  }

  async messageBySeq(partner: string, seq: number): Promise<MessageRow | null> {
    const [row] = await this.store.sideQuery<MessageRow>(`SELECT ${MESSAGE} FROM share_messages WHERE partner = $1 AND direction = 'in' AND seq = $2`, [partner, seq]);
    return row ?? null;
  }

  messages(partner: string, limit = 200): Promise<MessageRow[]> {
    return this.store.sideQuery<MessageRow>(`SELECT * FROM (SELECT ${MESSAGE} FROM share_messages WHERE partner = $1 ORDER BY id DESC LIMIT $2) m ORDER BY id`, [partner, limit]);
  }

  inbox(partner: string, kind: string, limit: number): Promise<{ seq: number; received_ms: number; body_json: string }[]> {
    return this.store.sideQuery(`SELECT * FROM (SELECT seq, received_ms, body_json FROM share_inbox WHERE partner = $1 AND kind = $2
      ORDER BY seq DESC LIMIT $3) i ORDER BY seq`, [partner, kind, limit]);
  }

  encounters(): Promise<{ partner: string; home_unit: string; partner_unit: string }[]> {
    return this.store.sideQuery('SELECT partner, home_unit, partner_unit FROM share_encounters');
  }

  async setEncounter(partner: string, homeUnit: string, partnerUnit: string, on: boolean): Promise<void> {
    if (on) await this.store.sideQuery('INSERT INTO share_encounters VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [partner, homeUnit, partnerUnit]);
    else await this.store.sideQuery('DELETE FROM share_encounters WHERE partner = $1 AND home_unit = $2 AND partner_unit = $3', [partner, homeUnit, partnerUnit]);
  }
}
