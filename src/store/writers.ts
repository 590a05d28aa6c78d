import type { Database, Statement } from 'better-sqlite3';
import type { Alert } from '../model/index.js';
import { ChainWriter, type ChainForm } from './chain.js';
import { alertJson, FIX_PARAM, type FixParams, storedAlertFromRow, territoryColumn } from './rows.js';
import type { AppendResult, CreatedApiKey, StoredAlert } from './store.js';
import { hashApiKey, newApiKey } from './keys.js';
import { EvidenceWriters, PolicyWriter } from './evidence-writers.js';

/** A unit's fixes in one call, for its unit_latest row. */
interface UnitLatest {
  fixId: number;
  timeMs: number;
  firstTimeMs: number;
  count: number;
}

/** A fix row: its seq, then the parameters fixParams makes (rows.ts), in their order. */
export const INSERT_FIX_SQL = `INSERT INTO fixes (seq, unit, time_ms, lat, lon, accuracy_m, alt_m, speed_mps, course_deg, source, received_ms, late,
    territory, boundary_distance_m, confidence, certain, zone, fence_name, fence_side, fence_distance_m, determination_json,
    name, group_name, notes_json, emergency_json)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Units whose latest device time is cached at most (some MB); past it the cache starts again. */
const LATEST_TIMES_KEPT = 100_000;

/**
 * The write statements. Each method runs inside the group commit's transaction: together with its
 * record it writes the record's event (its seq) and chain entry, and keeps unit_latest in step.
 */
export class Writers {
  /** Incident records, policy changes and checkpoints. */
  readonly evidence: EvidenceWriters;
  private readonly findSameFix: Statement;
  private readonly unitLatestTime: Statement;
  private readonly insertEvent: Statement;
  private readonly insertFix: Statement;
  private readonly upsertUnit: Statement;
  private readonly insertAlert: Statement;
  private readonly insertKey: Statement;
  private readonly revokeKeyStatement: Statement;
  private readonly chain: ChainWriter;
  private readonly policy: PolicyWriter;
  /** Each unit's latest device time (null: no fix yet), as unit_latest holds it; see forgetCaches. */
  private readonly latestTimes = new Map<string, number | null>();

  constructor(db: Database, chainForm: ChainForm = 'commit') {
    this.chain = new ChainWriter(db, chainForm);
    this.policy = new PolicyWriter(db, this.chain);
    this.evidence = new EvidenceWriters(db, this.chain, this.policy);
    this.findSameFix = db.prepare('SELECT id, seq FROM fixes WHERE unit = ? AND time_ms = ? AND lat = ? AND lon = ?');
    this.unitLatestTime = db.prepare('SELECT time_ms FROM unit_latest WHERE unit = ?').pluck();
    this.insertEvent = db.prepare('INSERT INTO events (kind, received_ms) VALUES (?, ?)');
    this.insertFix = db.prepare(INSERT_FIX_SQL);
    // One row per unit and call, for all of the unit's fixes in it (the latest, the earliest, how many).
    // Right-hand sides see the row as it was before the update (SQL semantics), so the CASE compares old values.
    this.upsertUnit = db.prepare(
      `INSERT INTO unit_latest (unit, fix_id, time_ms, first_time_ms, fix_count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (unit) DO UPDATE SET
         fix_id = CASE WHEN excluded.time_ms >= time_ms THEN excluded.fix_id ELSE fix_id END,
         time_ms = max(time_ms, excluded.time_ms),
         first_time_ms = min(first_time_ms, excluded.first_time_ms),
         fix_count = fix_count + excluded.fix_count`,
    );
    this.insertAlert = db.prepare(
      `INSERT INTO alerts (seq, kind, unit, time_ms, other_unit, territory, zone, late, received_ms, alert_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertKey = db.prepare('INSERT INTO api_keys (label, key_hash, created_ms) VALUES (?, ?, ?)');
    this.revokeKeyStatement = db.prepare('UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL');
  }

  /**
   * Forgets what is cached between writes (the chain head, each unit's latest device time): called when
   * a savepoint or a transaction rolls back, and when a transaction starts after another connection
   * has written.
   */
  /** Writes the chain entry of the transaction's records (chain.ts); called once its work is done, before it commits. */
  sealChain(): void {
    this.chain.seal();
  }

  forgetCaches(): void {
    this.chain.forget();
    this.latestTimes.clear();
  }

  /**
   * The unit's latest device time in unit_latest (null: the unit has no fix), from the cache when it
   * holds the unit. The cache is bounded: past LATEST_TIMES_KEPT units it starts again.
   */
  private latestTime(unit: string): number | null {
    const cached = this.latestTimes.get(unit);
    if (cached !== undefined) return cached;
    const stored = (this.unitLatestTime.get(unit) as number | undefined) ?? null;
    this.rememberLatest(unit, stored);
    return stored;
  }

  private rememberLatest(unit: string, timeMs: number | null): void {
    if (this.latestTimes.size >= LATEST_TIMES_KEPT && !this.latestTimes.has(unit)) this.latestTimes.clear();
    this.latestTimes.set(unit, timeMs);
  }

  private nextSeq(kind: 'fix' | 'alert', receivedMs: number): number {
    return Number(this.insertEvent.run(kind, receivedMs).lastInsertRowid);
  }

  /**
   * Appends fixes given as their rows' parameters (checked fixes only), in order; sets their received_ms
   * and late. unit_latest is brought up to date once per unit, as the fixes one by one would leave it.
   */
  appendFixRows(rows: FixParams[], receivedMs: number): AppendResult[] {
    const units = new Map<string, UnitLatest>();
    const results = rows.map((params) => this.appendFixRow(params, receivedMs, units));
    for (const [unit, u] of units) this.upsertUnit.run(unit, u.fixId, u.timeMs, u.firstTimeMs, u.count);
    return results;
  }

  private appendFixRow(params: FixParams, receivedMs: number, units: Map<string, UnitLatest>): AppendResult {
    const unit = params[FIX_PARAM.unit] as string;
    const time = params[FIX_PARAM.time] as number;
    const latestMs = this.latestTime(unit);
    const late = latestMs !== null && time < latestMs;
    // A duplicate has the same device time as a stored fix of the unit, so none can be newer than them all.
    if (latestMs !== null && time <= latestMs) {
      const same = this.findSameFix.get(unit, time, params[FIX_PARAM.lat], params[FIX_PARAM.lon]) as { id: number; seq: number } | undefined;
      if (same) return { status: 'duplicate', id: same.id, seq: same.seq, late };
    }
    const seq = this.nextSeq('fix', receivedMs);
    params[FIX_PARAM.receivedMs] = receivedMs;
    params[FIX_PARAM.late] = late ? 1 : 0;
    const id = Number(this.insertFix.run(seq, ...params).lastInsertRowid);
    noteUnitFix(units, unit, id, time);
    this.rememberLatest(unit, latestMs === null ? time : Math.max(latestMs, time));
    // The chain record's columns are the row's id and then exactly the insert's parameters after seq.
    this.chain.appendRaw('fix', id, params);
    return { status: 'stored', id, seq, late };
  }

  appendAlert(alert: Alert, receivedMs: number): StoredAlert {
    const seq = this.nextSeq('alert', receivedMs);
    const d = alert.determination;
    const json = alertJson(alert);
    const params = [alert.kind, alert.unit, alert.time, alert.otherUnit ?? null, territoryColumn(d), d.zone, alert.late ? 1 : 0, receivedMs, json];
    const id = Number(this.insertAlert.run(seq, ...params).lastInsertRowid);
    // The chain record's columns are the row's id and then exactly the insert's parameters after seq.
    this.chain.appendRaw('alert', id, params);
    // What the caller gets back is what a later read returns: the alert as stored.
    return storedAlertFromRow({ id, seq, received_ms: receivedMs, alert_json: json }, '');
  }

  createApiKey(label: string, createdMs: number): CreatedApiKey {
    const key = newApiKey();
    const id = Number(this.insertKey.run(label, hashApiKey(key), createdMs).lastInsertRowid);
    this.policy.append('api-key-created', { key_id: id, label }, createdMs);
    return { id, label, key };
  }

  revokeApiKey(id: number, revokedMs: number): boolean {
    const revoked = this.revokeKeyStatement.run(revokedMs, id).changes > 0;
    if (revoked) this.policy.append('api-key-revoked', { key_id: id }, revokedMs);
    return revoked;
  }
}

/** A unit's summary within one commit: its latest fix (ties go to the later arrival, as between commits), first time and count. */
export function noteUnitFix(units: Map<string, { fixId: number; timeMs: number; firstTimeMs: number; count: number }>, unit: string, id: number, time: number): void {
  const u = units.get(unit);
  if (!u) {
    units.set(unit, { fixId: id, timeMs: time, firstTimeMs: time, count: 1 });
    return;
  }
  if (time >= u.timeMs) {
    u.fixId = id;
    u.timeMs = time;
  }
  u.firstTimeMs = Math.min(u.firstTimeMs, time);
  u.count += 1;
}
