import type { Database, Statement } from 'better-sqlite3';
import type { Alert } from '../track/types.js';
import { ChainWriter } from './chain.js';
import { alertJson, fixParams, storedAlertFromRow } from './rows.js';
import type { AppendResult, CreatedApiKey, FixToAppend, StoredAlert } from './store.js';
import { hashApiKey, newApiKey } from './keys.js';
import { EvidenceWriters, PolicyWriter } from './evidence-writers.js';

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

  constructor(db: Database) {
    this.chain = new ChainWriter(db);
    this.policy = new PolicyWriter(db, this.chain);
    this.evidence = new EvidenceWriters(db, this.chain, this.policy);
    this.findSameFix = db.prepare('SELECT id, seq FROM fixes WHERE unit = ? AND time_ms = ? AND lat = ? AND lon = ?');
    this.unitLatestTime = db.prepare('SELECT time_ms FROM unit_latest WHERE unit = ?').pluck();
    this.insertEvent = db.prepare('INSERT INTO events (kind, received_ms) VALUES (?, ?)');
    this.insertFix = db.prepare(
      `INSERT INTO fixes (seq, unit, time_ms, lat, lon, accuracy_m, alt_m, speed_mps, course_deg, source, received_ms, late,
         territory, boundary_distance_m, confidence, certain, zone, fence_name, fence_side, fence_distance_m, determination_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Right-hand sides see the row as it was before the update (SQL semantics), so the CASE compares old values.
    this.upsertUnit = db.prepare(
      `INSERT INTO unit_latest (unit, fix_id, time_ms, first_time_ms, fix_count) VALUES (@unit, @fixId, @timeMs, @timeMs, 1)
       ON CONFLICT (unit) DO UPDATE SET
         fix_id = CASE WHEN excluded.time_ms >= time_ms THEN excluded.fix_id ELSE fix_id END,
         time_ms = max(time_ms, excluded.time_ms),
         first_time_ms = min(first_time_ms, excluded.time_ms),
         fix_count = fix_count + 1`,
    );
    this.insertAlert = db.prepare(
      `INSERT INTO alerts (seq, kind, unit, time_ms, other_unit, territory, zone, late, received_ms, alert_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertKey = db.prepare('INSERT INTO api_keys (label, key_hash, created_ms) VALUES (?, ?, ?)');
    this.revokeKeyStatement = db.prepare('UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL');
  }

  /** Forgets what is cached between writes (the chain head): called when a transaction starts or a savepoint rolls back. */
  forgetCaches(): void {
    this.chain.forget();
  }

  private nextSeq(kind: 'fix' | 'alert', receivedMs: number): number {
    return Number(this.insertEvent.run(kind, receivedMs).lastInsertRowid);
  }

  appendFix({ fix, determination }: FixToAppend, receivedMs: number): AppendResult {
    const latestMs = this.unitLatestTime.get(fix.unit) as number | undefined;
    const late = latestMs !== undefined && fix.time < latestMs;
    const same = this.findSameFix.get(fix.unit, fix.time, fix.lat, fix.lon) as { id: number; seq: number } | undefined;
    if (same) return { status: 'duplicate', id: same.id, seq: same.seq, late };
    const seq = this.nextSeq('fix', receivedMs);
    const id = Number(this.insertFix.run(seq, ...fixParams(fix, determination, receivedMs, late)).lastInsertRowid);
    this.upsertUnit.run({ unit: fix.unit, fixId: id, timeMs: fix.time });
    this.chain.append('fix', id);
    return { status: 'stored', id, seq, late };
  }

  appendAlert(alert: Alert, receivedMs: number): StoredAlert {
    const seq = this.nextSeq('alert', receivedMs);
    const d = alert.determination;
    const json = alertJson(alert);
    const row = [seq, alert.kind, alert.unit, alert.time, alert.otherUnit ?? null, d.territory, d.zone, alert.late ? 1 : 0, receivedMs, json];
    const id = Number(this.insertAlert.run(...row).lastInsertRowid);
    this.chain.append('alert', id);
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
