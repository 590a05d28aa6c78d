// The evidence chain: every accepted record (fix, alert, incident record, policy change) is chained, in
// commit order, in the transaction that stores it. It has had two forms; a store's chain may hold both,
// the first one up to some position and the second from there on (schema step 6 switched).
//
// The record form (entries written before schema step 6): one entry per record.
//
//   record_hash_n = SHA-256(RFC 8785 canonical JSON of record n)
//   hash_n        = SHA-256(hash_(n-1) ‖ record_hash_n),   hash_0 = 32 zero bytes
//
// The commit form: one entry per write commit, over the records that commit stored, in their order, as
// the leaves of an RFC 6962 §2.1 Merkle tree (merkle.ts). A leaf's data is the record's record_hash (as
// above), so its leaf hash is SHA-256(0x00 ‖ record_hash): a proof carries 32-byte hashes, and the
// record itself (whose `type` and `id` members say what and which it is) is checked against its
// record_hash.
//
//   root_n = MTH(record_hash of the commit's records, in order),  size_n their number (at least 1)
//   hash_n = SHA-256(hash_(n-1) ‖ size_n as 8 bytes big-endian ‖ root_n)
//
// The 72 bytes hashed for a commit entry cannot be mistaken for the 64 of a record entry, and the size is
// bound with the root, which alone does not bind it. Each record stays locatable: its entry n and its
// leaf index (table chain_leaves), from which its audit path is read off its commit's tree.
//
// Chaining the record's hash rather than its text lets a bundle prove one incident's records reach a
// signed checkpoint with hashes only, not the other records themselves.
import { createHash, hash as oneShotHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { canonicalJson } from './canonical.js';
import { leafHash, merkleRoot } from './merkle.js';

export type ChainKind = 'fix' | 'alert' | 'incident' | 'policy';
export const CHAIN_KINDS: readonly ChainKind[] = ['fix', 'alert', 'incident', 'policy'];

/** A record as the chain sees it: `type` and the row's columns, flat. */
export type ChainRecord = Record<string, string | number | null>;

/** hash_0: what the first entry is chained to. */
export const GENESIS_HASH = Buffer.alloc(32);

/**
 * The columns each record is made of, fixed per kind so a later column never changes old hashes. The
 * fix's and alert's `seq` is left out: their place in the global order is bound by the chain itself, and
 * verification checks the two orders agree. `optional` columns came later (a fix's name, group and
 * notes, schema step 4; its emergency, step 7): a record holds one only when it is not null, so records chained before it
 * existed keep their hashes, and later ones bind it.
 */
export const RECORD_COLUMNS: Readonly<Record<ChainKind, { table: string; columns: readonly string[]; optional: readonly string[] }>> = {
  fix: {
    table: 'fixes',
    columns: ['id', 'unit', 'time_ms', 'lat', 'lon', 'accuracy_m', 'alt_m', 'speed_mps', 'course_deg', 'source', 'received_ms',
      'late', 'territory', 'boundary_distance_m', 'confidence', 'certain', 'zone', 'fence_name', 'fence_side', 'fence_distance_m',
      'determination_json', 'name', 'group_name', 'notes_json', 'emergency_json'],
    optional: ['name', 'group_name', 'notes_json', 'emergency_json'],
  },
  alert: {
    table: 'alerts',
    columns: ['id', 'kind', 'unit', 'time_ms', 'other_unit', 'territory', 'zone', 'late', 'received_ms', 'alert_json'],
    optional: [],
  },
  incident: { table: 'incident_records', columns: ['id', 'incident_id', 'action', 'received_ms', 'record_json'], optional: [] },
  policy: { table: 'policy_changes', columns: ['id', 'action', 'received_ms', 'record_json'], optional: [] },
};

/** A column's value as the chain record holds it. Non-finite numbers (JSON has none) become strings. */
function recordValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return String(value);
}

/** The chain record of a row: its fixed columns (its optional ones when not null) and `type`. */
export function chainRecord(kind: ChainKind, row: Record<string, unknown>): ChainRecord {
  const record: ChainRecord = { type: kind };
  const { columns, optional } = RECORD_COLUMNS[kind];
  for (const column of columns) {
    const value = recordValue(row[column]);
    if (value !== null || !optional.includes(column)) record[column] = value;
  }
  return record;
}

/**
 * Per kind, the record's members in RFC 8785 order (names sorted by UTF-16 code units) with their JSON
 * names written out, where each one's value sits in a raw row (-1: `type`), and whether it is left out
 * when null. The first member of every kind is not optional, so each later one starts with its comma.
 */
const MEMBER_ORDER: Readonly<Record<ChainKind, { prefix: string; index: number; optional: boolean }[]>> = Object.fromEntries(
  CHAIN_KINDS.map((kind) => {
    const { columns, optional } = RECORD_COLUMNS[kind];
    const names = ['type', ...columns].sort();
    if (optional.includes(names[0])) throw new Error(`chain: the first member of a ${kind} record cannot be optional`);
    return [kind, names.map((name, i) => ({
      prefix: `${i === 0 ? '' : ','}${JSON.stringify(name)}:`, index: columns.indexOf(name), optional: optional.includes(name),
    }))];
  }),
) as Record<ChainKind, { prefix: string; index: number; optional: boolean }[]>;

/**
 * canonicalJson(chainRecord(kind, row)) for a row read raw (its values in RECORD_COLUMNS order; with
 * `id` given, the values after id), written straight from the fixed member order: the writer's path,
 * once per record. The tests hold the two equal.
 */
export function rawRecordJson(kind: ChainKind, raw: readonly unknown[], id?: number): string {
  // With the id apart, the row's values start at its second column.
  const shift = id === undefined ? 0 : 1;
  let text = '{';
  for (const { prefix, index, optional } of MEMBER_ORDER[kind]) {
    const value = index < 0 ? kind : recordValue(index < shift ? id : raw[index - shift]);
    if (value !== null || !optional) text += prefix + JSON.stringify(value);
  }
  return text + '}';
}

export function sha256(data: string | Buffer): Buffer {
  return oneShotHash('sha256', data, 'buffer');
}

export function recordHash(record: ChainRecord): Buffer {
  return sha256(canonicalJson(record));
}

export function linkHash(previous: Buffer, recordHashValue: Buffer): Buffer {
  return createHash('sha256').update(previous).update(recordHashValue).digest();
}

/** hash_n of a commit entry: SHA-256(hash_(n-1) ‖ size as 8 bytes big-endian ‖ root). */
export function commitLinkHash(previous: Buffer, size: number, root: Buffer): Buffer {
  const sizeBytes = Buffer.alloc(8);
  sizeBytes.writeBigUInt64BE(BigInt(size));
  return oneShotHash('sha256', Buffer.concat([previous, sizeBytes, root], 72), 'buffer');
}

/** root_n of a commit entry: the RFC 6962 tree hash over its records' record hashes, in order. */
export function commitRoot(recordHashes: readonly Buffer[]): Buffer {
  return merkleRoot(recordHashes.map(leafHash));
}

/** linkHash for the writer: one 64-byte buffer hashed at once (the same bytes, so the same hash). */
function linkHashOnce(previous: Buffer, recordHashValue: Buffer): Buffer {
  return oneShotHash('sha256', Buffer.concat([previous, recordHashValue], 64), 'buffer');
}

/** String.prototype.isWellFormed (ES2024, in Node 20), typed here while the project's lib is ES2023. */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Where a record went in the chain: its entry (in the commit form, shared by its commit's records). */
export interface ChainLink {
  n: number;
}

/** The two forms of chain entry (see above): 'record' as before schema step 6, 'commit' since. */
export type ChainForm = 'record' | 'commit';

/**
 * SELECT of one kind's record columns by id. With `has`, an optional column the table does not have
 * (yet: a schema step before the one that adds it) is selected as NULL, which the record leaves out.
 */
export function recordQuery(kind: ChainKind, where: string, has?: (column: string) => boolean): string {
  const { table, columns, optional } = RECORD_COLUMNS[kind];
  const select = columns.map((c) => (has && optional.includes(c) && !has(c) ? `NULL AS ${c}` : c));
  return `SELECT ${select.join(', ')} FROM ${table} WHERE ${where}`;
}

/** Whether a table of the SQLite file has a column: the chain writer also runs in early schema steps. */
function columnsOf(db: Database, table: string): (column: string) => boolean {
  const names = new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
  return (column) => names.has(column);
}

/** The SQL of the chain's head over both forms' tables (the commit form's entries follow the record form's). */
export const CHAIN_HEAD_SQL =
  'SELECT n, hash FROM (SELECT n, hash FROM chain_commits ORDER BY n DESC LIMIT 1) ' +
  'UNION ALL SELECT n, hash FROM (SELECT n, hash FROM chain ORDER BY n DESC LIMIT 1) ORDER BY n DESC LIMIT 1';

/**
 * Appends to the chain. Runs inside the write transaction of the records it chains.
 *
 * In the record form each append writes its entry. In the commit form each append writes the record's
 * leaf (chain_leaves: entry n, leaf index, record hash), all of one transaction's leaves under the same
 * n, and seal(), called once the transaction's work is done and before it commits, writes the entry
 * (chain_commits: size, root, hash). The head is kept between transactions while no other connection
 * has written (the store checks PRAGMA data_version when a transaction starts); forget() is called then
 * and whenever a savepoint or a transaction rolls back, and the leaves of the open commit are read back
 * from the table, so nothing rolled back can leave what is kept out of step with the tables.
 */
export class ChainWriter {
  private readonly head: Statement;
  private readonly insert: Statement | null;
  private readonly insertLeaf: Statement | null;
  private readonly insertCommit: Statement | null;
  private readonly openLeaves: Statement | null;
  private readonly rowById: Record<ChainKind, Statement>;
  private cachedHead: { n: number; hash: Buffer } | null = null;
  /** The commit being built: its position, the hash it chains to, its leaves' record hashes so far. */
  private open: { n: number; previous: Buffer; recordHashes: Buffer[] } | null = null;
  /** Whether leaves may have been written since the last seal (forget() does not clear it). */
  private unsealed = false;

  constructor(db: Database, readonly form: ChainForm = 'commit') {
    const commitForm = form === 'commit';
    this.head = db.prepare(commitForm ? CHAIN_HEAD_SQL : 'SELECT n, hash FROM chain ORDER BY n DESC LIMIT 1');
    this.insert = commitForm ? null : db.prepare('INSERT INTO chain (n, kind, ref, record_hash, hash) VALUES (?, ?, ?, ?, ?)');
    this.insertLeaf = commitForm ? db.prepare('INSERT INTO chain_leaves (n, leaf, kind, ref, record_hash) VALUES (?, ?, ?, ?, ?)') : null;
    this.insertCommit = commitForm ? db.prepare('INSERT INTO chain_commits (n, size, root, hash) VALUES (?, ?, ?, ?)') : null;
    this.openLeaves = commitForm ? db.prepare('SELECT record_hash FROM chain_leaves WHERE n = ? ORDER BY leaf').pluck() : null;
    this.rowById = {
      fix: db.prepare(recordQuery('fix', 'id = ?', columnsOf(db, 'fixes'))).raw(true),
      alert: db.prepare(recordQuery('alert', 'id = ?')).raw(true),
      incident: db.prepare(recordQuery('incident', 'id = ?')).raw(true),
      policy: db.prepare(recordQuery('policy', 'id = ?')).raw(true),
    };
  }

  /** Drops what is kept: the next append or seal reads it from the tables. */
  forget(): void {
    this.cachedHead = null;
    this.open = null;
  }

  /** Chains the stored row `id` of `kind`, read back as stored so the hash is of exactly what a verifier reads. */
  append(kind: ChainKind, id: number): ChainLink {
    const row = this.rowById[kind].get(id) as unknown[] | undefined;
    if (!row) throw new Error(`chain: ${kind} ${id} was not found right after it was written`);
    return this.link(kind, id, rawRecordJson(kind, row));
  }

  /**
   * Chains a row just written from the values it was written with: its columns after id, in
   * RECORD_COLUMNS order, without reading it back. Only for values SQLite returns unchanged, which is
   * what the store's checks guarantee of fixes and alerts: strings, null, and finite numbers (an
   * integral number bound to a REAL column reads back as the same number; JSON cannot tell 5 from 5.0).
   * The tests hold the hash equal to the one of the row read back.
   */
  appendRaw(kind: ChainKind, id: number, afterId: readonly unknown[]): ChainLink {
    // SQLite stores a string that is not well-formed UTF-16 (a lone surrogate) with U+FFFD in its place:
    // such a row is hashed as read back.
    for (const value of afterId) if (typeof value === 'string' && !isWellFormed(value)) return this.append(kind, id);
    return this.link(kind, id, rawRecordJson(kind, afterId, id));
  }

  /** The commit form: writes the open commit's entry, if it has leaves. A no-op in the record form. */
  seal(): void {
    if (this.form !== 'commit' || !this.unsealed) return;
    const open = this.openCommit();
    this.unsealed = false;
    this.open = null;
    if (open.recordHashes.length === 0) return;
    const size = open.recordHashes.length;
    const root = commitRoot(open.recordHashes);
    const hash = commitLinkHash(open.previous, size, root);
    this.insertCommit!.run(open.n, size, root, hash);
    this.cachedHead = { n: open.n, hash };
  }

  private lastEntry(): { n: number; hash: Buffer } {
    return this.cachedHead ?? (this.head.get() as { n: number; hash: Buffer } | undefined) ?? { n: 0, hash: GENESIS_HASH };
  }

  private openCommit(): { n: number; previous: Buffer; recordHashes: Buffer[] } {
    if (this.open) return this.open;
    const last = this.lastEntry();
    const n = last.n + 1;
    // After a savepoint rolled back, the leaves the transaction's other work wrote are still there.
    this.open = { n, previous: last.hash, recordHashes: this.openLeaves!.all(n) as Buffer[] };
    return this.open;
  }

  private link(kind: ChainKind, id: number, recordJson: string): ChainLink {
    const entryRecordHash = sha256(recordJson);
    if (this.form === 'commit') {
      const open = this.openCommit();
      this.unsealed = true;
      this.insertLeaf!.run(open.n, open.recordHashes.length, kind, id, entryRecordHash);
      open.recordHashes.push(entryRecordHash);
      return { n: open.n };
    }
    const last = this.lastEntry();
    const n = last.n + 1;
    const hash = linkHashOnce(last.hash, entryRecordHash);
    this.insert!.run(n, kind, id, entryRecordHash, hash);
    this.cachedHead = { n, hash };
    return { n };
  }
}
