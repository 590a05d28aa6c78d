import type { Database, Statement } from 'better-sqlite3';
import { LinderoError, MAX_TIME_MS } from '../model/index.js';
import { ALERT_COLUMNS, type AlertRow, FIX_COLUMNS, type FixRow, storedAlertFromRow, storedFixFromRow } from './rows.js';
import type { AlertQuery, ApiKeyInfo, StoreEvent, StoredAlert, StoredFix, UnitSummary } from './store.js';
import { hashApiKey, isWellFormedApiKey, sameHash } from './keys.js';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10000;
// Bounds that every stored device time falls within (the range of a JavaScript Date).
export const EARLIEST_MS = -MAX_TIME_MS;
export const LATEST_MS = MAX_TIME_MS;

/** A query's row limit, checked (both stores). */
export function checkLimit(limit: number | undefined, max = MAX_LIMIT): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new LinderoError('store-bad-query', `limit must be a whole number from 1 to ${max}, got ${limit}`, { field: 'limit' });
  }
  return limit;
}

/** A query's time bound, checked (both stores). */
export function checkTime(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new LinderoError('store-bad-query', `${field} must be a time in ms since epoch, got ${String(value)}`, { field });
  }
  return value;
}

/** The most kinds one alert query may name. */
const MAX_QUERY_KINDS = 32;

/** An alert query's filters, checked, as both stores bind them (null: no filter). */
export function alertFilters(query: AlertQuery): { sinceMs: number; unit: string | null; untilMs: number | null; kinds: string[] | null; partner: string | null } {
  const kinds = query.kinds ?? null;
  if (kinds !== null && (!Array.isArray(kinds) || kinds.length === 0 || kinds.length > MAX_QUERY_KINDS || kinds.some((k) => typeof k !== 'string'))) {
    throw new LinderoError('store-bad-query', `kinds must be 1 to ${MAX_QUERY_KINDS} alert kinds`, { field: 'kinds' });
  }
  if (query.partner !== undefined && (typeof query.partner !== 'string' || query.partner.length === 0)) {
    throw new LinderoError('store-bad-query', 'partner must be a partner\'s name', { field: 'partner' });
  }
  return {
    sinceMs: checkTime(query.sinceMs, EARLIEST_MS, 'sinceMs'),
    unit: query.unit ?? null,
    untilMs: query.untilMs === undefined ? null : checkTime(query.untilMs, LATEST_MS, 'untilMs'),
    kinds,
    partner: query.partner === undefined ? null : `@${query.partner}`,
  };
}

/** The read queries, prepared once. */
export class Readers {
  private readonly unitsStatement: Statement;
  private readonly trackStatement: Statement;
  private readonly windowStatement: Statement;
  private readonly windowUnitsStatement: Statement;
  private readonly beforeStatement: Statement;
  private readonly alertsStatement: Statement;
  private readonly newestAlertsStatement: Statement;
  private readonly eventsStatement: Statement;
  private readonly lastSeqStatement: Statement;
  private readonly fixesBySeq: Statement;
  private readonly alertsBySeq: Statement;
  private readonly keyByHash: Statement;
  private readonly keysStatement: Statement;

  constructor(db: Database, private readonly file: string) {
    const f = FIX_COLUMNS.split(', ').map((c) => `f.${c}`).join(', ');
    this.unitsStatement = db.prepare(
      `SELECT u.fix_count, u.first_time_ms, ${f} FROM unit_latest u JOIN fixes f ON f.id = u.fix_id ORDER BY u.unit`,
    );
    this.trackStatement = db.prepare(
      `SELECT ${FIX_COLUMNS} FROM fixes WHERE unit = ? AND time_ms BETWEEN ? AND ? ORDER BY time_ms, id`,
    );
    this.windowStatement = db.prepare(`SELECT ${FIX_COLUMNS} FROM fixes WHERE time_ms BETWEEN ? AND ? ORDER BY time_ms, id`);
    this.windowUnitsStatement = db.prepare(
      `SELECT ${FIX_COLUMNS} FROM fixes WHERE time_ms BETWEEN ? AND ? AND unit IN (SELECT value FROM json_each(?))
       ORDER BY time_ms, id`,
    );
    this.beforeStatement = db.prepare(
      `SELECT ${FIX_COLUMNS} FROM fixes WHERE unit = ? AND time_ms < ? ORDER BY time_ms DESC, id DESC LIMIT 1`,
    );
    const alertsWhere = `id > @afterId AND time_ms >= @sinceMs AND (@unit IS NULL OR unit = @unit) AND (@untilMs IS NULL OR time_ms < @untilMs)
      AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
      AND (@partner IS NULL OR substr(other_unit, -length(@partner)) = @partner)`;
    this.alertsStatement = db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${alertsWhere} ORDER BY id LIMIT @limit`);
    this.newestAlertsStatement = db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${alertsWhere} ORDER BY id DESC LIMIT @limit`);
    this.eventsStatement = db.prepare('SELECT seq, kind FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.lastSeqStatement = db.prepare('SELECT coalesce(max(seq), 0) FROM events');
    this.fixesBySeq = db.prepare(`SELECT ${FIX_COLUMNS} FROM fixes WHERE seq BETWEEN ? AND ?`);
    this.alertsBySeq = db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE seq BETWEEN ? AND ?`);
    this.keyByHash = db.prepare('SELECT id, label, key_hash, revoked_ms FROM api_keys WHERE key_hash = ?');
    this.keysStatement = db.prepare('SELECT id, label, created_ms, revoked_ms FROM api_keys ORDER BY id');
  }

  private fixes(rows: unknown[]): StoredFix[] {
    return (rows as FixRow[]).map((row) => storedFixFromRow(row, this.file));
  }

  units(): UnitSummary[] {
    const rows = this.unitsStatement.all() as (FixRow & { fix_count: number; first_time_ms: number })[];
    return rows.map((row) => ({
      unit: row.unit,
      fixCount: row.fix_count,
      firstTime: row.first_time_ms,
      lastFix: storedFixFromRow(row, this.file),
    }));
  }

  track(unit: string, fromMs?: number, toMs?: number): StoredFix[] {
    const from = checkTime(fromMs, EARLIEST_MS, 'fromMs');
    const to = checkTime(toMs, LATEST_MS, 'toMs');
    return this.fixes(this.trackStatement.all(unit, from, to));
  }

  fixesInWindow(fromMs: number, toMs: number, units?: string[]): StoredFix[] {
    const from = checkTime(fromMs, EARLIEST_MS, 'fromMs');
    const to = checkTime(toMs, LATEST_MS, 'toMs');
    if (units === undefined) return this.fixes(this.windowStatement.all(from, to));
    return this.fixes(this.windowUnitsStatement.all(from, to, JSON.stringify(units)));
  }

  latestFixBefore(unit: string, timeMs: number): StoredFix | null {
    const row = this.beforeStatement.get(unit, checkTime(timeMs, LATEST_MS, 'timeMs')) as FixRow | undefined;
    return row ? storedFixFromRow(row, this.file) : null;
  }

  alerts(query: AlertQuery = {}): StoredAlert[] {
    const afterId = query.sinceId ?? 0;
    if (!Number.isInteger(afterId)) {
      throw new LinderoError('store-bad-query', `sinceId must be an alert id, got ${afterId}`, { field: 'sinceId' });
    }
    const f = alertFilters(query);
    const params = { ...f, kinds: f.kinds === null ? null : JSON.stringify(f.kinds), afterId, limit: checkLimit(query.limit) };
    const rows = (query.newestFirst ? this.newestAlertsStatement : this.alertsStatement).all(params) as AlertRow[];
    return rows.map((row) => storedAlertFromRow(row, this.file));
  }

  lastEventSeq(): number {
    return this.lastSeqStatement.pluck().get() as number;
  }

  eventsAfter(afterSeq: number, limit?: number): StoreEvent[] {
    if (!Number.isInteger(afterSeq)) {
      throw new LinderoError('store-bad-query', `afterSeq must be a whole number, got ${afterSeq}`, { field: 'afterSeq' });
    }
    const events = this.eventsStatement.all(afterSeq, checkLimit(limit)) as { seq: number; kind: 'fix' | 'alert' }[];
    if (events.length === 0) return [];
    const first = events[0].seq;
    const last = events[events.length - 1].seq;
    const fixes = new Map(this.fixes(this.fixesBySeq.all(first, last)).map((fix) => [fix.seq, fix]));
    const alerts = new Map(
      (this.alertsBySeq.all(first, last) as AlertRow[]).map((row) => [row.seq, storedAlertFromRow(row, this.file)]),
    );
    return events.map(({ seq, kind }) => this.event(seq, kind, fixes, alerts));
  }

  private event(seq: number, kind: 'fix' | 'alert', fixes: Map<number, StoredFix>, alerts: Map<number, StoredAlert>): StoreEvent {
    const fix = fixes.get(seq);
    if (kind === 'fix' && fix) return { seq, kind, receivedMs: fix.receivedMs, fix };
    const alert = alerts.get(seq);
    if (kind === 'alert' && alert) return { seq, kind, receivedMs: alert.receivedMs, alert };
    throw new LinderoError('store-corrupt', `${this.file}: event ${seq} (${kind}) has no record`, { file: this.file });
  }

  verifyApiKey(key: string): { id: number; label: string } | null {
    if (!isWellFormedApiKey(key)) return null;
    const hash = hashApiKey(key);
    // Finding the row by its hash can leak, by timing, only how the hash of a guess sorts among stored
    // hashes, which says nothing about any key; the final comparison is constant-time all the same.
    const row = this.keyByHash.get(hash) as { id: number; label: string; key_hash: Buffer; revoked_ms: number | null } | undefined;
    if (!row || !sameHash(row.key_hash, hash) || row.revoked_ms !== null) return null;
    return { id: row.id, label: row.label };
  }

  apiKeys(): ApiKeyInfo[] {
    const rows = this.keysStatement.all() as { id: number; label: string; created_ms: number; revoked_ms: number | null }[];
    return rows.map((r) => ({ id: r.id, label: r.label, createdMs: r.created_ms, revokedMs: r.revoked_ms }));
  }
}
