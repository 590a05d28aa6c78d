import type { Database, Statement } from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import { CHAIN_KINDS, chainRecord, type ChainKind, RECORD_COLUMNS, recordQuery } from './chain.js';
import { CHAIN_HEAD_SQL } from './chain.js';
import type {
  ChainEntry, ChainEntryWithRecord, ChainLeaf, ChainLocation, Checkpoint, IncidentAction, StoredIncidentRecord, StoredPolicyChange,
  UnchainedRecord, WithRecord,
} from './store.js';

export const MAX_ENTRIES = 10_000;

/** A row of either form's table: the record form's kind, ref and record_hash, or the commit form's size and root. */
export interface ChainRow {
  n: number;
  kind: ChainKind | null;
  ref: number | null;
  record_hash: Buffer | null;
  hash: Buffer;
  size: number | null;
  root: Buffer | null;
}

export interface LeafRow {
  n: number;
  leaf: number;
  kind: ChainKind;
  ref: number;
  record_hash: Buffer;
}

interface CheckpointRow {
  n: number;
  hash: Buffer;
  signed_ms: number;
  public_key: string;
  signature: Buffer;
  tree_root: Buffer | null;
}

export const checkpointOf = (r: CheckpointRow): Checkpoint => ({
  n: r.n, hash: r.hash, signedMs: r.signed_ms, publicKey: r.public_key, signature: r.signature, treeRoot: r.tree_root ?? null,
});

/** A chain row of either table as the entry it is. */
export const entryOf = (r: ChainRow): ChainEntry => (r.size === null
  ? { form: 'record', n: r.n, kind: r.kind!, ref: r.ref!, recordHash: r.record_hash!, hash: r.hash }
  : { form: 'commit', n: r.n, size: r.size, root: r.root!, hash: r.hash });

export const leafOf = (r: LeafRow): ChainLeaf => ({ n: r.n, leaf: r.leaf, kind: r.kind, ref: r.ref, recordHash: r.record_hash });

/** Both forms' entries after @after, in order, at most @limit. */
const ENTRIES_SQL =
  `SELECT n, kind, ref, record_hash, hash, NULL AS size, NULL AS root FROM chain WHERE n > @after
   UNION ALL SELECT n, NULL, NULL, NULL, hash, size, root FROM chain_commits WHERE n > @after ORDER BY n LIMIT @limit`;

export function parseRecord(text: string, what: string, file: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new LinderoError('store-corrupt', `${file}: ${what} is not a JSON object`, { file });
}

export function checkPage(afterN: number, limit: number, what: string): void {
  if (!Number.isInteger(afterN) || !Number.isInteger(limit) || limit < 1 || limit > MAX_ENTRIES) {
    throw new LinderoError('store-bad-query', `${what} need a whole afterN and a limit from 1 to ${MAX_ENTRIES}`, { field: 'limit' });
  }
}

/** The read queries of the evidence tables, prepared once. */
export class EvidenceReaders {
  private readonly head: Statement;
  private readonly headRow: Statement;
  private readonly page: Statement;
  private readonly hashes: Statement;
  private readonly leavesOf: Statement;
  private readonly recordsByIds: Record<ChainKind, Statement>;
  private readonly seqByIds: Record<'fix' | 'alert', Statement>;
  private readonly entriesOf: Statement;
  private readonly byRecordHash: Statement;
  private readonly unchained: Statement;
  private readonly checkpointRows: Statement;
  private readonly lastCheckpoint: Statement;
  private readonly incidentAll: Statement;
  private readonly incidentOne: Statement;
  private readonly policyAll: Statement;

  constructor(db: Database, private readonly file: string) {
    this.head = db.prepare(CHAIN_HEAD_SQL);
    this.headRow = db.prepare(
      `SELECT n, kind, ref, record_hash, hash, NULL AS size, NULL AS root FROM chain WHERE n = @n
       UNION ALL SELECT n, NULL, NULL, NULL, hash, size, root FROM chain_commits WHERE n = @n`,
    );
    this.page = db.prepare(ENTRIES_SQL);
    this.hashes = db.prepare(
      'SELECT hash FROM (SELECT n, hash FROM chain WHERE n > @after UNION ALL SELECT n, hash FROM chain_commits WHERE n > @after) ORDER BY n LIMIT @limit',
    ).pluck();
    this.leavesOf = db.prepare('SELECT n, leaf, kind, ref, record_hash FROM chain_leaves WHERE n IN (SELECT value FROM json_each(?)) ORDER BY n, leaf');
    const ids = 'id IN (SELECT value FROM json_each(?))';
    this.recordsByIds = Object.fromEntries(CHAIN_KINDS.map((k) => [k, db.prepare(recordQuery(k, ids))])) as Record<ChainKind, Statement>;
    this.seqByIds = {
      fix: db.prepare(`SELECT id, seq FROM fixes WHERE ${ids}`),
      alert: db.prepare(`SELECT id, seq FROM alerts WHERE ${ids}`),
    };
    const matches = (t: string) => `${t}.kind = json_extract(j.value, '$.kind') AND ${t}.ref = json_extract(j.value, '$.id')`;
    this.entriesOf = db.prepare(
      `SELECT c.n, NULL AS leaf, c.kind, c.ref, c.record_hash FROM json_each(@records) j JOIN chain c ON ${matches('c')}
       UNION ALL SELECT l.n, l.leaf, l.kind, l.ref, l.record_hash FROM json_each(@records) j JOIN chain_leaves l ON ${matches('l')}
       ORDER BY 1, 2`,
    );
    this.byRecordHash = db.prepare('SELECT n FROM chain WHERE record_hash = @hash UNION SELECT n FROM chain_leaves WHERE record_hash = @hash ORDER BY n').pluck();
    // A record is chained by a record entry, or by a leaf of a commit entry that is there.
    this.unchained = db.prepare(
      CHAIN_KINDS.map((k) => `SELECT '${k}' AS kind, id FROM ${RECORD_COLUMNS[k].table}
        WHERE id NOT IN (SELECT ref FROM chain WHERE kind = '${k}')
          AND id NOT IN (SELECT l.ref FROM chain_leaves l JOIN chain_commits c ON c.n = l.n WHERE l.kind = '${k}')`)
        .join(' UNION ALL ') + ' LIMIT ?',
    );
    const checkpointColumns = 'n, hash, signed_ms, public_key, signature, tree_root';
    this.checkpointRows = db.prepare(`SELECT ${checkpointColumns} FROM checkpoints WHERE n > ? ORDER BY n LIMIT ?`);
    this.lastCheckpoint = db.prepare(`SELECT ${checkpointColumns} FROM checkpoints ORDER BY n DESC LIMIT 1`);
    const chainN = (kind: ChainKind, id: string) =>
      `coalesce((SELECT n FROM chain WHERE kind = '${kind}' AND ref = ${id}), (SELECT n FROM chain_leaves WHERE kind = '${kind}' AND ref = ${id}))`;
    const incidentColumns = `r.id, r.incident_id, r.action, r.received_ms, r.record_json, ${chainN('incident', 'r.id')} AS chain_n`;
    this.incidentAll = db.prepare(`SELECT ${incidentColumns} FROM incident_records r WHERE r.id > ? ORDER BY r.id`);
    this.incidentOne = db.prepare(`SELECT ${incidentColumns} FROM incident_records r WHERE r.incident_id = ? AND r.id > ? ORDER BY r.id`);
    this.policyAll = db.prepare(
      `SELECT p.id, p.action, p.received_ms, p.record_json, ${chainN('policy', 'p.id')} AS chain_n FROM policy_changes p
       WHERE @action IS NULL OR p.action = @action ORDER BY p.id`,
    );
  }

  chainHead(): ChainEntry | null {
    const head = this.head.get() as { n: number } | undefined;
    if (!head) return null;
    const row = this.headRow.get({ n: head.n }) as ChainRow | undefined;
    return row ? entryOf(row) : null;
  }

  chainHashes(afterN: number, limit = 1000): Buffer[] {
    checkPage(afterN, limit, 'chain hashes');
    return this.hashes.all({ after: afterN, limit }) as Buffer[];
  }

  chainEntries(afterN: number, limit = 1000): ChainEntryWithRecord[] {
    checkPage(afterN, limit, 'chain entries');
    const rows = this.page.all({ after: afterN, limit }) as ChainRow[];
    const commitNs = rows.filter((r) => r.size !== null).map((r) => r.n);
    const leaves = commitNs.length === 0 ? [] : (this.leavesOf.all(JSON.stringify(commitNs)) as LeafRow[]).map(leafOf);
    const records = new Map<string, Record<string, unknown>>();
    const seqs = new Map<string, number>();
    for (const [kind, ids] of recordsWanted(rows, leaves)) {
      for (const row of this.recordsByIds[kind].all(JSON.stringify(ids)) as Record<string, unknown>[]) {
        records.set(`${kind}:${row.id as number}`, row);
      }
      if (kind === 'fix' || kind === 'alert') {
        for (const row of this.seqByIds[kind].all(JSON.stringify(ids)) as { id: number; seq: number }[]) seqs.set(`${kind}:${row.id}`, row.seq);
      }
    }
    return entriesWithRecords(rows, leaves, records, seqs);
  }

  chainEntriesOf(records: UnchainedRecord[]): ChainLocation[] {
    return (this.entriesOf.all({ records: JSON.stringify(records) }) as { n: number; leaf: number | null; kind: ChainKind; ref: number; record_hash: Buffer }[])
      .map((r) => ({ n: r.n, leaf: r.leaf, kind: r.kind, ref: r.ref, recordHash: r.record_hash }));
  }

  chainPositionsOfRecordHash(recordHash: Buffer): number[] {
    return this.byRecordHash.all({ hash: recordHash }) as number[];
  }

  unchainedRecords(limit = 100): UnchainedRecord[] {
    return this.unchained.all(limit) as UnchainedRecord[];
  }

  checkpoints(afterN = 0, limit = 1000): Checkpoint[] {
    checkPage(afterN, limit, 'checkpoints');
    return (this.checkpointRows.all(afterN, limit) as CheckpointRow[]).map(checkpointOf);
  }

  latestCheckpoint(): Checkpoint | null {
    const row = this.lastCheckpoint.get() as CheckpointRow | undefined;
    return row ? checkpointOf(row) : null;
  }

  incidentRecords(incidentId?: number, afterId = 0): StoredIncidentRecord[] {
    const rows = (incidentId === undefined ? this.incidentAll.all(afterId) : this.incidentOne.all(incidentId, afterId)) as {
      id: number; incident_id: number; action: IncidentAction; received_ms: number; record_json: string; chain_n: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id, incidentId: r.incident_id, action: r.action, receivedMs: r.received_ms, chainN: r.chain_n ?? 0,
      record: parseRecord(r.record_json, `incident record ${r.id}`, this.file),
    }));
  }

  policyChanges(action?: string): StoredPolicyChange[] {
    const rows = this.policyAll.all({ action: action ?? null }) as { id: number; action: string; received_ms: number; record_json: string; chain_n: number | null }[];
    return rows.map((r) => ({
      id: r.id, action: r.action, receivedMs: r.received_ms, chainN: r.chain_n ?? 0,
      record: parseRecord(r.record_json, `policy change ${r.id}`, this.file),
    }));
  }
}

/** The ids of each kind's records that these entries (a page of both forms' rows) and leaves name. */
export function recordsWanted(rows: readonly ChainRow[], leaves: readonly ChainLeaf[]): Map<ChainKind, number[]> {
  const wanted = new Map<ChainKind, number[]>();
  const want = (kind: ChainKind, ref: number) => {
    const ids = wanted.get(kind) ?? [];
    ids.push(ref);
    wanted.set(kind, ids);
  };
  for (const r of rows) if (r.size === null) want(r.kind!, r.ref!);
  for (const leaf of leaves) want(leaf.kind, leaf.ref);
  return wanted;
}

/**
 * A page of both forms' rows as entries with their records as stored now: `records` holds each record's
 * row and `seqs` each fix's and alert's seq, by "kind:id" (a record missing from them was deleted).
 */
export function entriesWithRecords(
  rows: readonly ChainRow[], leaves: readonly ChainLeaf[], records: ReadonlyMap<string, Record<string, unknown>>, seqs: ReadonlyMap<string, number>,
): ChainEntryWithRecord[] {
  const withRecord = (kind: ChainKind, ref: number): WithRecord => {
    const row = records.get(`${kind}:${ref}`);
    return { record: row ? chainRecord(kind, row) : null, seq: seqs.get(`${kind}:${ref}`) ?? null };
  };
  const leavesByN = new Map<number, (ChainLeaf & WithRecord)[]>();
  for (const leaf of leaves) {
    const list = leavesByN.get(leaf.n) ?? [];
    list.push({ ...leaf, ...withRecord(leaf.kind, leaf.ref) });
    leavesByN.set(leaf.n, list);
  }
  return rows.map((r): ChainEntryWithRecord => {
    const entry = entryOf(r);
    return entry.form === 'record' ? { ...entry, ...withRecord(entry.kind, entry.ref) } : { ...entry, leaves: leavesByN.get(entry.n) ?? [] };
  });
}
