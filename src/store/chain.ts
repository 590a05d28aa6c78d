// The evidence chain: every accepted record (fix, alert, incident record, policy change) gets one entry,
// in commit order, written in the record's own transaction.
//
//   record_hash_n = SHA-256(RFC 8785 canonical JSON of record n)
//   hash_n        = SHA-256(hash_(n-1) ‖ record_hash_n),   hash_0 = 32 zero bytes
//
// Chaining the record's hash rather than its text lets a bundle prove one incident's records reach a
// signed checkpoint with only the hashes of the records in between, not the records themselves.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { canonicalJson } from './canonical.js';

export type ChainKind = 'fix' | 'alert' | 'incident' | 'policy';
export const CHAIN_KINDS: readonly ChainKind[] = ['fix', 'alert', 'incident', 'policy'];

/** A record as the chain sees it: `type` and the row's columns, flat. */
export type ChainRecord = Record<string, string | number | null>;

/** hash_0: what the first entry is chained to. */
export const GENESIS_HASH = Buffer.alloc(32);

/**
 * The columns each record is made of, fixed per kind so a later column never changes old hashes. The
 * fix's and alert's `seq` is left out: their place in the global order is bound by the chain itself, and
 * verification checks the two orders agree.
 */
export const RECORD_COLUMNS: Readonly<Record<ChainKind, { table: string; columns: readonly string[] }>> = {
  fix: {
    table: 'fixes',
    columns: ['id', 'unit', 'time_ms', 'lat', 'lon', 'accuracy_m', 'alt_m', 'speed_mps', 'course_deg', 'source', 'received_ms',
      'late', 'territory', 'boundary_distance_m', 'confidence', 'certain', 'zone', 'fence_name', 'fence_side', 'fence_distance_m',
      'determination_json'],
  },
  alert: {
    table: 'alerts',
    columns: ['id', 'kind', 'unit', 'time_ms', 'other_unit', 'territory', 'zone', 'late', 'received_ms', 'alert_json'],
  },
  incident: { table: 'incident_records', columns: ['id', 'incident_id', 'action', 'received_ms', 'record_json'] },
  policy: { table: 'policy_changes', columns: ['id', 'action', 'received_ms', 'record_json'] },
};

/** The chain record of a row: its fixed columns and `type`. Non-finite numbers (JSON has none) become strings. */
export function chainRecord(kind: ChainKind, row: Record<string, unknown>): ChainRecord {
  const record: ChainRecord = { type: kind };
  for (const column of RECORD_COLUMNS[kind].columns) {
    const value = row[column];
    if (value === null || value === undefined) record[column] = null;
    else if (typeof value === 'number') record[column] = Number.isFinite(value) ? value : String(value);
    else if (typeof value === 'bigint') record[column] = Number(value);
    else if (Buffer.isBuffer(value)) record[column] = value.toString('base64');
    else record[column] = String(value);
  }
  return record;
}

export function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

export function recordHash(record: ChainRecord): Buffer {
  return sha256(canonicalJson(record));
}

export function linkHash(previous: Buffer, recordHashValue: Buffer): Buffer {
  return createHash('sha256').update(previous).update(recordHashValue).digest();
}

/** Where a record went in the chain. */
export interface ChainLink {
  n: number;
  hash: Buffer;
}

/** SELECT of one kind's record columns by id. */
export function recordQuery(kind: ChainKind, where: string): string {
  const { table, columns } = RECORD_COLUMNS[kind];
  return `SELECT ${columns.join(', ')} FROM ${table} WHERE ${where}`;
}

/**
 * Appends chain entries. Runs inside the write transaction of the record it chains: the head is read
 * from the table each time, so a rolled-back savepoint leaves nothing behind to fall out of step.
 */
export class ChainWriter {
  private readonly head: Statement;
  private readonly insert: Statement;
  private readonly rowById: Record<ChainKind, Statement>;

  constructor(db: Database) {
    this.head = db.prepare('SELECT n, hash FROM chain ORDER BY n DESC LIMIT 1');
    this.insert = db.prepare('INSERT INTO chain (n, kind, ref, record_hash, hash) VALUES (?, ?, ?, ?, ?)');
    this.rowById = {
      fix: db.prepare(recordQuery('fix', 'id = ?')),
      alert: db.prepare(recordQuery('alert', 'id = ?')),
      incident: db.prepare(recordQuery('incident', 'id = ?')),
      policy: db.prepare(recordQuery('policy', 'id = ?')),
    };
  }

  /** Chains the stored row `id` of `kind`, read back as stored so the hash is of exactly what a verifier reads. */
  append(kind: ChainKind, id: number): ChainLink {
    const row = this.rowById[kind].get(id) as Record<string, unknown> | undefined;
    if (!row) throw new Error(`chain: ${kind} ${id} was not found right after it was written`);
    const last = this.head.get() as { n: number; hash: Buffer } | undefined;
    const n = (last?.n ?? 0) + 1;
    const entryRecordHash = recordHash(chainRecord(kind, row));
    const hash = linkHash(last?.hash ?? GENESIS_HASH, entryRecordHash);
    this.insert.run(n, kind, id, entryRecordHash, hash);
    return { n, hash };
  }
}
