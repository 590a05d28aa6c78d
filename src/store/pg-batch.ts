// One commit of the PostgreSQL store, gathered in memory: the fixes, alerts and chain entries of every
// write that joined the commit, with the seq, ids and chain hashes they take, written at the end by one
// statement (pg-writer.ts). The chain is computed exactly as the SQLite writer computes it (chain.ts),
// from the values written: in the commit form (the default), the commit's records are the leaves of its
// one entry, sealed once every write of the commit has run; in the record form, an entry per record.
import type { Alert } from '../model/index.js';
import { commitLinkHash, commitRoot, linkHash, rawRecordJson, sha256, type ChainForm, type ChainKind } from './chain.js';
import { alertJson, FIX_PARAM, type FixParams, storedAlertFromRow, territoryColumn } from './rows.js';
import type { AppendResult, StoredAlert } from './store.js';
import { noteUnitFix } from './writers.js';

/** store_head as locked at the start of the commit, moved on by each record. */
export interface PgHead {
  seq: number;
  fixId: number;
  alertId: number;
  chainN: number;
  chainHash: Buffer;
}

interface UnitLatest {
  fixId: number;
  timeMs: number;
  firstTimeMs: number;
  count: number;
}

/** String.prototype.isWellFormed / toWellFormed (ES2024, in Node 20), typed here while the project's lib is ES2023. */
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Text as PostgreSQL can hold it. A string that is not well-formed UTF-16 (a lone surrogate) gets U+FFFD
 * in its place, as SQLite stores it; a NUL character, which PostgreSQL text cannot hold at all, too.
 * Done before hashing, so the chain binds what is stored.
 */
export function pgText(value: string): string {
  let text = value;
  if (!(text as Es2024String).isWellFormed()) text = (text as Es2024String).toWellFormed();
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text;
}

function storableValues(values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) if (typeof values[i] === 'string') values[i] = pgText(values[i] as string);
  return values;
}

/** Where a fix of this commit would be found again: unit, time and position. */
export function fixKey(unit: string, timeMs: number, lat: number, lon: number): string {
  return `${unit}\u0000${timeMs}\u0000${lat}\u0000${lon}`;
}

/** Fix params as PostgreSQL stores them (text made storable), to look up and to write. */
export function storableFixRows(rows: FixParams[]): FixParams[] {
  for (const row of rows) storableValues(row);
  return rows;
}

/** What makes an alert the same alert (stored once): unit, kind, device time and other unit, as stored. */
export function alertKey(unit: string, kind: string, timeMs: number, otherUnit: string): string {
  return `${unit}\u0000${kind}\u0000${timeMs}\u0000${otherUnit}`;
}

export class PgBatch {
  /**
   * Rows to insert, each an array of its columns: sent as one JSON text per table (JSON.stringify is far
   * cheaper than node-postgres's array literals, and the server reads it with json_array_elements).
   */
  readonly fixRows: unknown[][] = [];
  readonly alertRows: unknown[][] = [];
  /** The record form's entries: n, kind, ref, record hash (hex), hash (hex). */
  readonly chainRows: [number, ChainKind, number, string, string][] = [];
  /** The commit form's leaves: n, leaf, kind, ref, record hash (hex). */
  readonly leafRows: [number, number, ChainKind, number, string][] = [];
  /** The commit form's entry once sealed: n, size, root (hex), hash (hex). */
  commitRow: [number, number, string, string] | null = null;
  /** The record hashes of this commit's leaves, in order. */
  private readonly recordHashes: Buffer[] = [];
  readonly units = new Map<string, UnitLatest>();
  /** The alerts this commit stores, by alertKey. */
  readonly alertsByKey = new Map<string, StoredAlert>();
  /** The first seq this commit gives out (it gave out none while head.seq is below it). */
  readonly firstSeq: number;

  /**
   * @param head store_head, locked for this commit
   * @param latestTimes each unit's latest device time as stored (units of this commit's fixes only)
   * @param storedFixes fixes already stored that this commit's fixes may repeat, by fixKey
   * @param form the form of the chain entries this commit writes
   */
  constructor(
    readonly head: PgHead,
    private readonly latestTimes: Map<string, number>,
    private readonly storedFixes: Map<string, { id: number; seq: number }>,
    readonly form: ChainForm = 'commit',
  ) {
    this.firstSeq = head.seq + 1;
  }

  /** Whether the commit chains nothing (and so writes nothing but what its own statements did). */
  get isEmpty(): boolean {
    return this.chainRows.length === 0 && this.leafRows.length === 0;
  }

  /**
   * Chains the record `id` of `kind` whose columns after id are `afterId`; returns its entry's position
   * (in the commit form, the entry this commit will seal, shared by all of its records).
   */
  chain(kind: ChainKind, id: number, afterId: readonly unknown[]): number {
    const recordHash = sha256(rawRecordJson(kind, afterId, id));
    if (this.form === 'commit') {
      if (this.commitRow) throw new Error('chain: a record appended to a commit already sealed');
      const n = this.head.chainN + 1;
      this.leafRows.push([n, this.recordHashes.length, kind, id, recordHash.toString('hex')]);
      this.recordHashes.push(recordHash);
      return n;
    }
    const hash = linkHash(this.head.chainHash, recordHash);
    const n = ++this.head.chainN;
    this.head.chainHash = hash;
    this.chainRows.push([n, kind, id, recordHash.toString('hex'), hash.toString('hex')]);
    return n;
  }

  /** The commit form: makes the commit's entry over its leaves and moves the head on to it. Once, after every write ran. */
  seal(): void {
    if (this.form !== 'commit' || this.commitRow || this.recordHashes.length === 0) return;
    const size = this.recordHashes.length;
    const root = commitRoot(this.recordHashes);
    const hash = commitLinkHash(this.head.chainHash, size, root);
    this.head.chainN += 1;
    this.head.chainHash = hash;
    this.commitRow = [this.head.chainN, size, root.toString('hex'), hash.toString('hex')];
  }

  /**
   * The batch of the commit after this one, prepared before this one is known to be committed (pg-writer.ts):
   * from the head this one leaves, with each unit's latest time and the fixes the next commit may repeat
   * as read from the database (which may not show this commit yet), and this commit's own fixes added.
   * Everything committed before this one is in what was read: the writer reads after this one's turn began.
   */
  followedBy(latestTimes: Map<string, number>, storedFixes: Map<string, { id: number; seq: number }>): PgBatch {
    for (const [unit, u] of this.units) latestTimes.set(unit, Math.max(latestTimes.get(unit) ?? u.timeMs, u.timeMs));
    // A fix row is its id, its seq, then its params.
    const at = (param: number) => 2 + param;
    for (const row of this.fixRows) {
      const key = fixKey(row[at(FIX_PARAM.unit)] as string, row[at(FIX_PARAM.time)] as number, row[at(FIX_PARAM.lat)] as number, row[at(FIX_PARAM.lon)] as number);
      storedFixes.set(key, { id: row[0] as number, seq: row[1] as number });
    }
    return new PgBatch({ ...this.head }, latestTimes, storedFixes, this.form);
  }

  /** The record form: the hash of chain entry n when this commit wrote it, else undefined. */
  pendingHashAt(n: number): Buffer | undefined {
    const row = this.chainRows.find((r) => r[0] === n);
    return row ? Buffer.from(row[4], 'hex') : undefined;
  }

  /** Appends checked, storable fix rows in order (as Writers.appendFixRows does). */
  appendFixRows(rows: FixParams[], receivedMs: number): AppendResult[] {
    return rows.map((params) => this.appendFixRow(params, receivedMs));
  }

  private appendFixRow(params: FixParams, receivedMs: number): AppendResult {
    const unit = params[FIX_PARAM.unit] as string;
    const time = params[FIX_PARAM.time] as number;
    const latestMs = this.latestTimes.get(unit) ?? null;
    const late = latestMs !== null && time < latestMs;
    if (latestMs !== null && time <= latestMs) {
      const same = this.storedFixes.get(fixKey(unit, time, params[FIX_PARAM.lat] as number, params[FIX_PARAM.lon] as number));
      if (same) return { status: 'duplicate', id: same.id, seq: same.seq, late };
    }
    const seq = ++this.head.seq;
    const id = ++this.head.fixId;
    params[FIX_PARAM.receivedMs] = receivedMs;
    params[FIX_PARAM.late] = late ? 1 : 0;
    this.fixRows.push([id, seq, ...params]);
    this.storedFixes.set(fixKey(unit, time, params[FIX_PARAM.lat] as number, params[FIX_PARAM.lon] as number), { id, seq });
    this.latestTimes.set(unit, latestMs === null ? time : Math.max(latestMs, time));
    noteUnitFix(this.units, unit, id, time);
    this.chain('fix', id, params);
    return { status: 'stored', id, seq, late };
  }

  appendAlert(alert: Alert, receivedMs: number): StoredAlert {
    const seq = ++this.head.seq;
    const id = ++this.head.alertId;
    const d = alert.determination;
    const json = alertJson(alert);
    const params = storableValues([alert.kind, alert.unit, alert.time, alert.otherUnit ?? null, territoryColumn(d), d.zone, alert.late ? 1 : 0, receivedMs, json]);
    this.alertRows.push([id, seq, ...params]);
    this.chain('alert', id, params);
    const stored = storedAlertFromRow({ id, seq, received_ms: receivedMs, alert_json: json }, '');
    this.alertsByKey.set(alertKey(params[1] as string, params[0] as string, params[2] as number, (params[3] as string | null) ?? ''), stored);
    return stored;
  }

  /** unit_latest rows to upsert: unit, fix id, latest time, first time, count. */
  unitRows(): [string, number, number, number, number][] {
    return [...this.units].map(([unit, u]) => [unit, u.fixId, u.timeMs, u.firstTimeMs, u.count]);
  }
}
