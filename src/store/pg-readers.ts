// The read queries of the PostgreSQL store: the same answers as readers.ts gives from SQLite.
import type { Pool } from 'pg';
import { LinderoError } from '../model/index.js';
import { ALERT_COLUMNS, type AlertRow, FIX_COLUMNS, type FixRow, storedAlertFromRow, storedFixFromRow } from './rows.js';
import type { AlertQuery, ApiKeyInfo, StoreEvent, StoredAlert, StoredFix, UnitSummary } from './store.js';
import { hashApiKey, isWellFormedApiKey, sameHash } from './keys.js';
import { alertFilters, checkLimit, checkTime, EARLIEST_MS, LATEST_MS } from './readers.js';


const F = FIX_COLUMNS.split(', ').map((c) => `f.${c}`).join(', ');

export class PgReaders {
  constructor(private readonly pool: Pool, private readonly where: string) {}

  private async rows<T>(name: string, text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query({ name, text, values })).rows as T[];
  }

  private fixes(rows: FixRow[]): StoredFix[] {
    return rows.map((row) => storedFixFromRow(row, this.where));
  }

  async units(): Promise<UnitSummary[]> {
    const rows = await this.rows<FixRow & { fix_count: number; first_time_ms: number }>('units',
      `SELECT u.fix_count, u.first_time_ms, ${F} FROM unit_latest u JOIN fixes f ON f.id = u.fix_id ORDER BY u.unit COLLATE "C"`);
    return rows.map((row) => ({ unit: row.unit, fixCount: row.fix_count, firstTime: row.first_time_ms, lastFix: storedFixFromRow(row, this.where) }));
  }

  async track(unit: string, fromMs?: number, toMs?: number): Promise<StoredFix[]> {
    const from = checkTime(fromMs, EARLIEST_MS, 'fromMs');
    const to = checkTime(toMs, LATEST_MS, 'toMs');
    return this.fixes(await this.rows('track', `SELECT ${FIX_COLUMNS} FROM fixes WHERE unit = $1 AND time_ms BETWEEN $2 AND $3 ORDER BY time_ms, id`, [unit, from, to]));
  }

  async fixesInWindow(fromMs: number, toMs: number, units?: string[]): Promise<StoredFix[]> {
    const from = checkTime(fromMs, EARLIEST_MS, 'fromMs');
    const to = checkTime(toMs, LATEST_MS, 'toMs');
    if (units === undefined) return this.fixes(await this.rows('window', `SELECT ${FIX_COLUMNS} FROM fixes WHERE time_ms BETWEEN $1 AND $2 ORDER BY time_ms, id`, [from, to]));
    return this.fixes(await this.rows('window-units',
      `SELECT ${FIX_COLUMNS} FROM fixes WHERE time_ms BETWEEN $1 AND $2 AND unit = ANY($3::text[]) ORDER BY time_ms, id`, [from, to, units]));
  }

  async latestFixBefore(unit: string, timeMs: number): Promise<StoredFix | null> {
    const [row] = await this.rows<FixRow>('before',
      `SELECT ${FIX_COLUMNS} FROM fixes WHERE unit = $1 AND time_ms < $2 ORDER BY time_ms DESC, id DESC LIMIT 1`, [unit, checkTime(timeMs, LATEST_MS, 'timeMs')]);
    return row ? storedFixFromRow(row, this.where) : null;
  }

  async alerts(query: AlertQuery = {}): Promise<StoredAlert[]> {
    const afterId = query.sinceId ?? 0;
    if (!Number.isInteger(afterId)) throw new LinderoError('store-bad-query', `sinceId must be an alert id, got ${afterId}`, { field: 'sinceId' });
    const f = alertFilters(query);
    const where = `id > $1 AND time_ms >= $2 AND ($3::text IS NULL OR unit = $3) AND ($5::bigint IS NULL OR time_ms < $5)
      AND ($6::text[] IS NULL OR kind = ANY($6)) AND ($7::text IS NULL OR right(other_unit, length($7)) = $7)`;
    const order = query.newestFirst ? 'DESC' : '';
    const rows = await this.rows<AlertRow>(query.newestFirst ? 'alerts-newest' : 'alerts',
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${where} ORDER BY id ${order} LIMIT $4`,
      [afterId, f.sinceMs, f.unit, checkLimit(query.limit), f.untilMs, f.kinds, f.partner]);
    return rows.map((row) => storedAlertFromRow(row, this.where));
  }

  async lastEventSeq(): Promise<number> {
    const [fixes, alerts] = await Promise.all([
      this.rows<{ seq: string | null }>('last-fix-seq', 'SELECT max(seq) AS seq FROM fixes', []),
      this.rows<{ seq: string | null }>('last-alert-seq', 'SELECT max(seq) AS seq FROM alerts', []),
    ]);
    return Math.max(Number(fixes[0]?.seq ?? 0), Number(alerts[0]?.seq ?? 0));
  }

  async eventsAfter(afterSeq: number, limit?: number): Promise<StoreEvent[]> {
    if (!Number.isInteger(afterSeq)) throw new LinderoError('store-bad-query', `afterSeq must be a whole number, got ${afterSeq}`, { field: 'afterSeq' });
    const n = checkLimit(limit);
    // The two reads below take a snapshot each: bounded by a head read before both, neither sees a record
    // the other could miss (a seq at or below the head was committed before either began).
    const [{ seq: headSeq }] = await this.rows<{ seq: number }>('events-head', 'SELECT seq FROM store_head');
    const [fixRows, alertRows] = await Promise.all([
      this.rows<FixRow>('events-fixes', `SELECT ${FIX_COLUMNS} FROM fixes WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2`, [afterSeq, n, headSeq]),
      this.rows<AlertRow>('events-alerts', `SELECT ${ALERT_COLUMNS} FROM alerts WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2`, [afterSeq, n, headSeq]),
    ]);
    const events: StoreEvent[] = [
      ...this.fixes(fixRows).map((fix) => ({ seq: fix.seq, kind: 'fix' as const, receivedMs: fix.receivedMs, fix })),
      ...alertRows.map((row) => storedAlertFromRow(row, this.where)).map((alert) => ({ seq: alert.seq, kind: 'alert' as const, receivedMs: alert.receivedMs, alert })),
    ];
    return events.sort((a, b) => a.seq - b.seq).slice(0, n);
  }

  /**
   * Fixes with seq greater than afterSeq, in seq order, at most `limit`, read in one snapshot: every fix
   * with seq in (afterSeq, throughSeq] is among them.
   */
  async fixesAfter(afterSeq: number, limit?: number): Promise<{ fixes: StoredFix[]; throughSeq: number }> {
    if (!Number.isInteger(afterSeq)) throw new LinderoError('store-bad-query', `afterSeq must be a whole number, got ${afterSeq}`, { field: 'afterSeq' });
    const n = checkLimit(limit);
    const rows = await this.rows<FixRow & { head_seq: number }>('fixes-after', `SELECT h.seq AS head_seq, ${F} FROM store_head h
      LEFT JOIN LATERAL (SELECT * FROM fixes WHERE seq > $1 AND seq <= h.seq ORDER BY seq LIMIT $2) f ON true ORDER BY f.seq`, [afterSeq, n]);
    const fixes = this.fixes(rows.filter((r) => r.id !== null));
    const throughSeq = fixes.length === n ? fixes[fixes.length - 1].seq : Math.max(afterSeq, rows[0].head_seq);
    return { fixes, throughSeq };
  }

  async verifyApiKey(key: string): Promise<{ id: number; label: string } | null> {
    if (!isWellFormedApiKey(key)) return null;
    const hash = hashApiKey(key);
    const [row] = await this.rows<{ id: number; label: string; key_hash: Buffer; revoked_ms: number | null }>('key-by-hash',
      'SELECT id, label, key_hash, revoked_ms FROM api_keys WHERE key_hash = $1', [hash]);
    if (!row || !sameHash(row.key_hash, hash) || row.revoked_ms !== null) return null;
    return { id: row.id, label: row.label };
  }

  async apiKeys(): Promise<ApiKeyInfo[]> {
    const rows = await this.rows<{ id: number; label: string; created_ms: number; revoked_ms: number | null }>('keys',
      'SELECT id, label, created_ms, revoked_ms FROM api_keys ORDER BY id');
    return rows.map((r) => ({ id: r.id, label: r.label, createdMs: r.created_ms, revokedMs: r.revoked_ms }));
  }
}
