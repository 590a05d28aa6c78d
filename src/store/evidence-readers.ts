import type { Database, Statement } from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import { CHAIN_KINDS, chainRecord, type ChainKind, RECORD_COLUMNS, recordQuery } from './chain.js';
import type {
  ChainEntry, ChainEntryWithRecord, Checkpoint, IncidentAction, StoredIncidentRecord, StoredPolicyChange, UnchainedRecord,
} from './store.js';

const MAX_ENTRIES = 10_000;

interface ChainRow {
  n: number;
  kind: ChainKind;
  ref: number;
  record_hash: Buffer;
  hash: Buffer;
}

interface CheckpointRow {
  n: number;
  hash: Buffer;
  signed_ms: number;
  public_key: string;
  signature: Buffer;
}

const checkpointOf = (r: CheckpointRow): Checkpoint => ({ n: r.n, hash: r.hash, signedMs: r.signed_ms, publicKey: r.public_key, signature: r.signature });

const entryOf = (r: ChainRow): ChainEntry => ({ n: r.n, kind: r.kind, ref: r.ref, recordHash: r.record_hash, hash: r.hash });

function parseRecord(text: string, what: string, file: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new LinderoError('store-corrupt', `${file}: ${what} is not a JSON object`, { file });
}

/** The read queries of the evidence tables, prepared once. */
export class EvidenceReaders {
  private readonly head: Statement;
  private readonly page: Statement;
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
    this.head = db.prepare('SELECT n, kind, ref, record_hash, hash FROM chain ORDER BY n DESC LIMIT 1');
    this.page = db.prepare('SELECT n, kind, ref, record_hash, hash FROM chain WHERE n > ? ORDER BY n LIMIT ?');
    const ids = 'id IN (SELECT value FROM json_each(?))';
    this.recordsByIds = Object.fromEntries(CHAIN_KINDS.map((k) => [k, db.prepare(recordQuery(k, ids))])) as Record<ChainKind, Statement>;
    this.seqByIds = {
      fix: db.prepare(`SELECT id, seq FROM fixes WHERE ${ids}`),
      alert: db.prepare(`SELECT id, seq FROM alerts WHERE ${ids}`),
    };
    this.entriesOf = db.prepare(
      `SELECT c.n, c.kind, c.ref, c.record_hash, c.hash FROM json_each(?) j
       JOIN chain c ON c.kind = json_extract(j.value, '$.kind') AND c.ref = json_extract(j.value, '$.id') ORDER BY c.n`,
    );
    this.byRecordHash = db.prepare('SELECT n FROM chain WHERE record_hash = ? ORDER BY n').pluck();
    this.unchained = db.prepare(
      CHAIN_KINDS.map((k) => `SELECT '${k}' AS kind, id FROM ${RECORD_COLUMNS[k].table} WHERE id NOT IN (SELECT ref FROM chain WHERE kind = '${k}')`)
        .join(' UNION ALL ') + ' LIMIT ?',
    );
    this.checkpointRows = db.prepare('SELECT n, hash, signed_ms, public_key, signature FROM checkpoints WHERE n > ? ORDER BY n LIMIT ?');
    this.lastCheckpoint = db.prepare('SELECT n, hash, signed_ms, public_key, signature FROM checkpoints ORDER BY n DESC LIMIT 1');
    const incidentColumns = 'r.id, r.incident_id, r.action, r.received_ms, r.record_json, c.n AS chain_n';
    const incidentJoin = "incident_records r LEFT JOIN chain c ON c.kind = 'incident' AND c.ref = r.id";
    this.incidentAll = db.prepare(`SELECT ${incidentColumns} FROM ${incidentJoin} ORDER BY r.id`);
    this.incidentOne = db.prepare(`SELECT ${incidentColumns} FROM ${incidentJoin} WHERE r.incident_id = ? ORDER BY r.id`);
    this.policyAll = db.prepare(
      `SELECT p.id, p.action, p.received_ms, p.record_json, c.n AS chain_n FROM policy_changes p
       LEFT JOIN chain c ON c.kind = 'policy' AND c.ref = p.id ORDER BY p.id`,
    );
  }

  chainHead(): ChainEntry | null {
    const row = this.head.get() as ChainRow | undefined;
    return row ? entryOf(row) : null;
  }

  chainEntries(afterN: number, limit = 1000): ChainEntryWithRecord[] {
    if (!Number.isInteger(afterN) || !Number.isInteger(limit) || limit < 1 || limit > MAX_ENTRIES) {
      throw new LinderoError('store-bad-query', `chain entries need a whole afterN and a limit from 1 to ${MAX_ENTRIES}`, { field: 'limit' });
    }
    const rows = this.page.all(afterN, limit) as ChainRow[];
    const records = new Map<string, Record<string, unknown>>();
    const seqs = new Map<string, number>();
    for (const kind of CHAIN_KINDS) {
      const wanted = rows.filter((r) => r.kind === kind).map((r) => r.ref);
      if (wanted.length === 0) continue;
      for (const row of this.recordsByIds[kind].all(JSON.stringify(wanted)) as Record<string, unknown>[]) {
        records.set(`${kind}:${row.id as number}`, row);
      }
      if (kind === 'fix' || kind === 'alert') {
        for (const row of this.seqByIds[kind].all(JSON.stringify(wanted)) as { id: number; seq: number }[]) seqs.set(`${kind}:${row.id}`, row.seq);
      }
    }
    return rows.map((r) => {
      const row = records.get(`${r.kind}:${r.ref}`);
      return { ...entryOf(r), record: row ? chainRecord(r.kind, row) : null, seq: seqs.get(`${r.kind}:${r.ref}`) ?? null };
    });
  }

  chainEntriesOf(records: UnchainedRecord[]): ChainEntry[] {
    return (this.entriesOf.all(JSON.stringify(records)) as ChainRow[]).map(entryOf);
  }

  chainPositionsOfRecordHash(recordHash: Buffer): number[] {
    return this.byRecordHash.all(recordHash) as number[];
  }

  unchainedRecords(limit = 100): UnchainedRecord[] {
    return this.unchained.all(limit) as UnchainedRecord[];
  }

  checkpoints(afterN = 0, limit = 1000): Checkpoint[] {
    if (!Number.isInteger(afterN) || !Number.isInteger(limit) || limit < 1 || limit > MAX_ENTRIES) {
      throw new LinderoError('store-bad-query', `checkpoints need a whole afterN and a limit from 1 to ${MAX_ENTRIES}`, { field: 'limit' });
    }
    return (this.checkpointRows.all(afterN, limit) as CheckpointRow[]).map(checkpointOf);
  }

  latestCheckpoint(): Checkpoint | null {
    const row = this.lastCheckpoint.get() as CheckpointRow | undefined;
    return row ? checkpointOf(row) : null;
  }

  incidentRecords(incidentId?: number): StoredIncidentRecord[] {
    const rows = (incidentId === undefined ? this.incidentAll.all() : this.incidentOne.all(incidentId)) as {
      id: number; incident_id: number; action: IncidentAction; received_ms: number; record_json: string; chain_n: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id, incidentId: r.incident_id, action: r.action, receivedMs: r.received_ms, chainN: r.chain_n ?? 0,
      record: parseRecord(r.record_json, `incident record ${r.id}`, this.file),
    }));
  }

  policyChanges(): StoredPolicyChange[] {
    const rows = this.policyAll.all() as { id: number; action: string; received_ms: number; record_json: string; chain_n: number | null }[];
    return rows.map((r) => ({
      id: r.id, action: r.action, receivedMs: r.received_ms, chainN: r.chain_n ?? 0,
      record: parseRecord(r.record_json, `policy change ${r.id}`, this.file),
    }));
  }
}
