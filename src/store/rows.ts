import { LinderoError } from '../model/index.js';
import type { Determination } from '../geo/index.js';
import type { Fix, FixEmergency, FixSource } from '../model/index.js';
import type { Alert } from '../model/index.js';
import type { StoredAlert, StoredFix } from './store.js';

/** A row of `fixes` as read back (the determination only as JSON). */
export interface FixRow {
  id: number;
  seq: number;
  unit: string;
  time_ms: number;
  lat: number;
  lon: number;
  accuracy_m: number | null;
  alt_m: number | null;
  speed_mps: number | null;
  course_deg: number | null;
  source: string;
  received_ms: number;
  late: number;
  determination_json: string;
  /** Null in rows stored before schema step 4, and whenever the source did not say. */
  name: string | null;
  group_name: string | null;
  /** The fix's notes as a JSON array of strings; null when it had none. */
  notes_json: string | null;
  /** The emergency the fix declared or cancelled, as JSON; null for every other fix (and before schema step 7). */
  emergency_json: string | null;
}

export const FIX_COLUMNS =
  'id, seq, unit, time_ms, lat, lon, accuracy_m, alt_m, speed_mps, course_deg, source, received_ms, late, determination_json, name, group_name, notes_json, emergency_json';

export interface AlertRow {
  id: number;
  seq: number;
  received_ms: number;
  alert_json: string;
}

export const ALERT_COLUMNS = 'id, seq, received_ms, alert_json';

function parseStored<T>(text: string, what: string, file: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new LinderoError('store-corrupt', `${file}: ${what} is not valid JSON`, { file });
  }
}

/**
 * A fix as the store writes it: the parameters that insert its row after seq, which are also its chain
 * record's columns after id. received_ms and late are set by the writer, in its transaction; a fix
 * encoded before (by a caller in another thread) carries 0 there.
 */
export type FixParams = unknown[];
/** Where the writer reads and sets parts of FixParams. */
export const FIX_PARAM = { unit: 0, time: 1, lat: 2, lon: 3, receivedMs: 9, late: 10 } as const;

/**
 * The territory column of a position outside every territory the layers cover. The fixes' and alerts'
 * territory columns are NOT NULL since the first schema step, and relaxing that in SQLite means
 * rebuilding the tables (every stored fix rewritten), so "outside" is stored as the empty string; the
 * determination JSON, which every read returns, holds territory null and outside true.
 */
export const OUTSIDE_TERRITORY = '';

/** A determination's territory as its column holds it. */
export function territoryColumn(d: Determination): string {
  return d.territory ?? OUTSIDE_TERRITORY;
}

/** The parameters that insert a fix row. Notes are one JSON text, and only when there are some (most fixes have none). */
export function fixParams(fix: Fix, d: Determination, receivedMs: number, late: boolean): FixParams {
  return [
    fix.unit, fix.time, fix.lat, fix.lon,
    fix.accuracyM ?? null, fix.altM ?? null, fix.speedMps ?? null, fix.courseDeg ?? null,
    fix.source, receivedMs, late ? 1 : 0,
    territoryColumn(d), d.boundary.distanceM, d.confidence, d.certain ? 1 : 0, d.zone,
    d.fence?.name ?? null, d.fence?.side ?? null, d.fence?.distanceM ?? null,
    JSON.stringify(d),
    fix.name ?? null, fix.group ?? null, fix.notes !== undefined && fix.notes.length > 0 ? JSON.stringify(fix.notes) : null,
    fix.emergency ? JSON.stringify({ state: fix.emergency.state, what: fix.emergency.what }) : null,
  ];
}

/**
 * The fix as stored, from the fix given and where the store put it: its fields in one order whatever
 * the parser's (a spread of fixes of many shapes is slow), the optional ones only when present.
 */
export function storedFixOf(fix: Fix, stored: { id: number; seq: number; late: boolean }, receivedMs: number, determination: Determination): StoredFix {
  const out: StoredFix = {
    id: stored.id, seq: stored.seq, unit: fix.unit, time: fix.time, lat: fix.lat, lon: fix.lon, source: fix.source, receivedMs, late: stored.late,
    determination,
  };
  if (fix.accuracyM !== undefined) out.accuracyM = fix.accuracyM;
  if (fix.altM !== undefined) out.altM = fix.altM;
  if (fix.speedMps !== undefined) out.speedMps = fix.speedMps;
  if (fix.courseDeg !== undefined) out.courseDeg = fix.courseDeg;
  if (fix.name !== undefined) out.name = fix.name;
  if (fix.group !== undefined) out.group = fix.group;
  if (fix.notes !== undefined && fix.notes.length > 0) out.notes = fix.notes;
  if (fix.emergency !== undefined) out.emergency = fix.emergency;
  return out;
}

export function storedFixFromRow(row: FixRow, file: string): StoredFix {
  const fix: Fix = { unit: row.unit, time: row.time_ms, lat: row.lat, lon: row.lon, source: row.source as FixSource };
  if (row.accuracy_m !== null) fix.accuracyM = row.accuracy_m;
  if (row.alt_m !== null) fix.altM = row.alt_m;
  if (row.speed_mps !== null) fix.speedMps = row.speed_mps;
  if (row.course_deg !== null) fix.courseDeg = row.course_deg;
  if (row.name !== null) fix.name = row.name;
  if (row.group_name !== null) fix.group = row.group_name;
  if (row.notes_json !== null) fix.notes = parseStored<string[]>(row.notes_json, `the notes of fix ${row.id}`, file);
  if (row.emergency_json !== null) fix.emergency = parseStored<FixEmergency>(row.emergency_json, `the emergency of fix ${row.id}`, file);
  const determination = parseStored<Determination>(row.determination_json, `the determination of fix ${row.id}`, file);
  return storedFixOf(fix, { id: row.id, seq: row.seq, late: row.late === 1 }, row.received_ms, determination);
}

/** The alert as stored whole: everything the caller gave except an id it may have carried. */
export function alertJson(alert: Alert): string {
  const { id: _ignored, ...rest } = alert;
  return JSON.stringify(rest);
}

export function storedAlertFromRow(row: AlertRow, file: string): StoredAlert {
  const alert = parseStored<Alert>(row.alert_json, `alert ${row.id}`, file);
  return { ...alert, id: row.id, seq: row.seq, receivedMs: row.received_ms };
}
