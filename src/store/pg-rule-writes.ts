// Writes of units' live rules on several nodes, inside a commit of the PostgreSQL store (under
// store_head's lock, so they see every commit before theirs and none runs beside them): alerts stored
// once each, and the buckets' watermarks moved in the same commit.
import type { Client } from 'pg';
import type { Alert } from '../model/index.js';
import { alertKey, pgText, type PgBatch } from './pg-batch.js';
import { storedAlertFromRow } from './rows.js';
import type { RulesEvaluated, StoredAlert } from './store.js';

interface AlertKeyRow {
  id: number;
  seq: number;
  received_ms: number;
  alert_json: string;
  unit: string;
  kind: string;
  time_ms: number;
  other: string;
}

const keyOfAlert = (a: Alert) => alertKey(pgText(a.unit), a.kind, a.time, pgText(a.otherUnit ?? ''));

/** The alerts already stored that are the same as some of these (by alertKey). */
async function storedAlike(client: Client, alerts: Alert[]): Promise<Map<string, StoredAlert>> {
  const keys = alerts.map((a) => [pgText(a.unit), a.kind, a.time, pgText(a.otherUnit ?? '')]);
  const { rows } = await client.query<AlertKeyRow>(`SELECT a.id, a.seq, a.received_ms, a.alert_json, a.unit, a.kind, a.time_ms, coalesce(a.other_unit, '') AS other
    FROM json_array_elements($1::json) c JOIN alerts a ON a.unit = c->>0 AND a.kind = c->>1 AND a.time_ms = (c->>2)::float8 AND coalesce(a.other_unit, '') = c->>3`,
  [JSON.stringify(keys)]);
  return new Map(rows.map((r) => [alertKey(r.unit, r.kind, r.time_ms, r.other), storedAlertFromRow(r, '')]));
}

/**
 * Appends each alert unless the same is stored already (or earlier in this commit): one result per
 * alert, `stored` false for those skipped, with the alert as stored before.
 */
export async function appendAlertsOnce(client: Client, batch: PgBatch, alerts: Alert[], receivedMs: number): Promise<{ stored: boolean; alert: StoredAlert }[]> {
  if (alerts.length === 0) return [];
  const before = await storedAlike(client, alerts);
  return alerts.map((alert) => {
    const key = keyOfAlert(alert);
    const earlier = before.get(key) ?? batch.alertsByKey.get(key);
    if (earlier) return { stored: false, alert: earlier };
    return { stored: true, alert: batch.appendAlert(alert, receivedMs) };
  });
}

/** Moves the buckets' watermarks up to evaluated.seq (never down). */
export async function advanceWatermarks(client: Client, evaluated: RulesEvaluated | null): Promise<void> {
  if (!evaluated || evaluated.buckets.length === 0) return;
  await client.query('UPDATE rule_watermarks SET evaluated_seq = greatest(evaluated_seq, $2) WHERE bucket = ANY($1::int[])', [evaluated.buckets, evaluated.seq]);
}

/** Each bucket's watermark. */
export async function readWatermarks(query: (text: string, values: unknown[]) => Promise<{ rows: { bucket: number; seq: number }[] }>, buckets: number[]): Promise<Map<number, number>> {
  const { rows } = await query('SELECT bucket, evaluated_seq AS seq FROM rule_watermarks WHERE bucket = ANY($1::int[])', [buckets]);
  return new Map(rows.map((r) => [r.bucket, Number(r.seq)]));
}
