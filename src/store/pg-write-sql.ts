// The SQL of the PostgreSQL store's commits (pg-writer.ts): the lock, the reads a commit's fixes need,
// and the write of everything a commit holds, each table's rows sent as one JSON text.
import { randomBytes } from 'node:crypto';
import { fixKey, type PgBatch, type PgHead } from './pg-batch.js';
import { EVENTS_CHANNEL, notifyPayload } from './pg-notify.js';
import { FIX_PARAM, type FixParams } from './rows.js';

/** A store_head number as SQL (they are whole numbers; anything else is a programming error). */
function whole(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`store_head: ${n} is not a whole number`);
  return String(n);
}

const FIX_TYPES = ['bigint', 'bigint', 'text', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'text', 'float8', 'int4',
  'text', 'float8', 'float8', 'int4', 'text', 'text', 'text', 'float8', 'text', 'text', 'text', 'text', 'text'];
const FIX_NAMES = ['id', 'seq', 'unit', 'time_ms', 'lat', 'lon', 'accuracy_m', 'alt_m', 'speed_mps', 'course_deg', 'source', 'received_ms', 'late',
  'territory', 'boundary_distance_m', 'confidence', 'certain', 'zone', 'fence_name', 'fence_side', 'fence_distance_m', 'determination_json',
  'name', 'group_name', 'notes_json', 'emergency_json'];
const ALERT_TYPES = ['bigint', 'bigint', 'text', 'text', 'float8', 'text', 'text', 'text', 'int4', 'float8', 'text'];
const ALERT_NAMES = ['id', 'seq', 'kind', 'unit', 'time_ms', 'other_unit', 'territory', 'zone', 'late', 'received_ms', 'alert_json'];

/**
 * The columns of row JSON `r` (an array) as SQL values of these types. The rows are read as jsonb: its
 * r->>i goes straight to element i, where json's parses the text up to it again for every column (the
 * difference measured: a commit of 2,000 fixes written in ~60 % of the time). A number goes through
 * numeric, which keeps JSON.stringify's digits exactly, so it reads back as the same double.
 */
function fromJson(types: string[]): string {
  return types.map((t, i) => (t === 'text' ? `r->>${i}` : t === 'bytea' ? `decode(r->>${i}, 'hex')` : `(r->>${i})::${t}`)).join(', ');
}

/** Writes a value as an SQL literal of its JSON text: `jsonLiteral(rows)`. */
export type JsonLiteral = (value: unknown) => string;

/**
 * SQL that carries values as literals of their JSON text, dollar-quoted with a delimiter that occurs nowhere
 * else in the SQL (PostgreSQL documentation 4.1.2.4), so nothing in them is ever read as SQL. Used to send
 * a whole commit as one simple query (one round trip). `build` makes the whole statement text from the
 * literal writer it is given, and is called again with another delimiter if its first one occurs anywhere
 * but around the literals.
 *
 * Checked once, on the finished text: V8 keeps JSON.stringify's output in pieces and copies a string whole
 * each time it is joined or searched after a concatenation (~4 ns a character; a commit of 1,000 fixes is some
 * 700,000), so a check of each JSON text, then the join of the statements and then the driver's encoding
 * had copied a commit three times. Now the driver's encoding reads the one copy this check made.
 * A JSON text starts and ends with a bracket or a quote, never with a delimiter's characters, so an
 * occurrence cannot straddle a literal's edge; occurrences are counted overlapping, to be sure of it.
 */
export function sqlWithJson(build: (literal: JsonLiteral) => string): string {
  for (let tag = 'j'; ; tag = `j${randomBytes(6).toString('hex')}`) {
    const delimiter = `$${tag}$`;
    let literals = 0;
    const sql = build((value) => {
      literals += 1;
      return `${delimiter}${JSON.stringify(value)}${delimiter}`;
    });
    if (occurrences(sql, delimiter) === 2 * literals) return sql;
  }
}

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) count += 1;
  return count;
}

/**
 * What a commit writes, in one statement: every table (data-modifying CTEs all run, whatever the final
 * statement reads), each table's rows as one JSON array of arrays; then store_head and the notification.
 * Seals the batch's chain entry first. Sent with COMMIT after it (`after`), or as an implicit transaction
 * behind commitAheadSql's guard (`before`): the text sent is made here whole (see sqlWithJson).
 */
export function writeSql(batch: PgBatch, writerId: string, before = '', after = ''): string {
  batch.seal();
  return sqlWithJson((literal) => `${before}${writeStatements(batch, writerId, literal)}${after}`);
}

function writeStatements(batch: PgBatch, writerId: string, literal: JsonLiteral): string {
  const h = batch.head;
  // Delivered to listening nodes when, and only if, this transaction commits (pg-notify.ts).
  const notify = h.seq > batch.firstSeq - 1 ? `NOTIFY ${EVENTS_CHANNEL}, '${notifyPayload(writerId, batch.firstSeq, h.seq)}';\n` : '';
  const rows = (value: unknown) => `jsonb_array_elements(${literal(value)}::jsonb) r`;
  // Only the tables this commit writes rows to.
  const writes: string[] = [];
  const insert = (table: string, names: string[], types: string[], values: unknown[]) => {
    if (values.length > 0) writes.push(`INSERT INTO ${table} (${names.join(', ')}) SELECT ${fromJson(types)} FROM ${rows(values)}`);
  };
  insert('fixes', FIX_NAMES, FIX_TYPES, batch.fixRows);
  insert('alerts', ALERT_NAMES, ALERT_TYPES, batch.alertRows);
  insert('chain', ['n', 'kind', 'ref', 'record_hash', 'hash'], ['bigint', 'text', 'bigint', 'bytea', 'bytea'], batch.chainRows);
  insert('chain_leaves', ['n', 'leaf', 'kind', 'ref', 'record_hash'], ['bigint', 'int4', 'text', 'bigint', 'bytea'], batch.leafRows);
  insert('chain_commits', ['n', 'size', 'root', 'hash'], ['bigint', 'int4', 'bytea', 'bytea'], batch.commitRow ? [batch.commitRow] : []);
  const units = batch.unitRows();
  if (units.length > 0) {
    writes.push(`INSERT INTO unit_latest (unit, fix_id, time_ms, first_time_ms, fix_count) SELECT ${fromJson(['text', 'bigint', 'float8', 'float8', 'bigint'])} FROM ${rows(units)}
  ON CONFLICT (unit) DO UPDATE SET
    fix_id = CASE WHEN excluded.time_ms >= unit_latest.time_ms THEN excluded.fix_id ELSE unit_latest.fix_id END,
    time_ms = greatest(unit_latest.time_ms, excluded.time_ms),
    first_time_ms = least(unit_latest.first_time_ms, excluded.first_time_ms),
    fix_count = unit_latest.fix_count + excluded.fix_count`);
  }
  // Concatenated, not joined: a join would copy the rows' text (see sqlWithJson).
  let ctes = '';
  writes.forEach((w, i) => { ctes += `${i === 0 ? 'WITH' : ',\n'} w${i} AS (${w})`; });
  if (ctes !== '') ctes += '\n';
  return `
${ctes}UPDATE store_head SET seq = ${whole(h.seq)}, fix_id = ${whole(h.fixId)}, alert_id = ${whole(h.alertId)}, chain_n = ${whole(h.chainN)},
  chain_hash = decode('${h.chainHash.toString('hex')}', 'hex');
${notify}`;
}

/** Locks store_head for a commit (each statement of a simple query takes its own snapshot, so what follows sees every commit made before the lock was granted). */
export const LOCK_SQL = 'BEGIN; SELECT seq, fix_id, alert_id, chain_n, chain_hash FROM store_head FOR UPDATE;';

/**
 * What a commit's fixes need read: their units' latest stored times, and the stored fixes they repeat
 * (looked up only for fixes no newer than their unit's latest: a duplicate has the device time of a
 * stored fix). Empty without fixes.
 */
export function readsSql(rows: FixParams[]): string {
  if (rows.length === 0) return '';
  const units = [...new Set(rows.map((r) => r[FIX_PARAM.unit]))];
  const keys = rows.map((r) => [r[FIX_PARAM.unit], r[FIX_PARAM.time], r[FIX_PARAM.lat], r[FIX_PARAM.lon]]);
  return sqlWithJson((literal) => `
SELECT unit, time_ms FROM unit_latest WHERE unit IN (SELECT jsonb_array_elements_text(${literal(units)}::jsonb));
SELECT f.id, f.seq, f.unit, f.time_ms, f.lat, f.lon FROM jsonb_array_elements(${literal(keys)}::jsonb) c
  JOIN unit_latest u ON u.unit = c->>0 AND (c->>1)::float8 <= u.time_ms
  JOIN fixes f ON f.unit = c->>0 AND f.time_ms = (c->>1)::float8 AND f.lat = (c->>2)::float8 AND f.lon = (c->>3)::float8;`);
}

/** The rows readsSql's two statements return: each unit's latest time, and the stored fixes repeated, by fixKey. */
export function readResults(units: { unit: string; time_ms: number }[], fixes: { id: number; seq: number; unit: string; time_ms: number; lat: number; lon: number }[]): {
  latestTimes: Map<string, number>; stored: Map<string, { id: number; seq: number }>;
} {
  const latestTimes = new Map<string, number>();
  const stored = new Map<string, { id: number; seq: number }>();
  for (const r of units) latestTimes.set(r.unit, r.time_ms);
  for (const f of fixes) stored.set(fixKey(f.unit, f.time_ms, f.lat, f.lon), { id: f.id, seq: f.seq });
  return { latestTimes, stored };
}

/**
 * A commit prepared while the one before it was still in flight, from the head that one leaves: one
 * simple query without BEGIN or COMMIT, so PostgreSQL runs it as one implicit transaction that commits at
 * its end or, on any error, rolls back at once, releasing store_head. It waits for store_head's lock (the
 * commit before holds it until that commit is durable), then refuses unless store_head is exactly the head
 * it was prepared from: when anything else was committed in between (another node, or the commit before
 * failed), nothing of it is written and it is made again in turn.
 */
export function commitAheadSql(from: PgHead, batch: PgBatch, writerId: string): string {
  const guard = `SELECT 1 FROM store_head WHERE seq = ${whole(from.seq)} AND fix_id = ${whole(from.fixId)} AND alert_id = ${whole(from.alertId)}
    AND chain_n = ${whole(from.chainN)} AND chain_hash = decode('${from.chainHash.toString('hex')}', 'hex')`;
  return writeSql(batch, writerId, `SELECT 1 FROM store_head FOR UPDATE;
DO $guard$ BEGIN IF NOT EXISTS (${guard}) THEN RAISE EXCEPTION USING ERRCODE = '${HEAD_MOVED}', MESSAGE = 'store_head moved'; END IF; END $guard$;
`);
}

/** The SQLSTATE commitAheadSql raises when store_head is not the head it was prepared from (class 'LN', not PostgreSQL's). */
export const HEAD_MOVED = 'LN001';
