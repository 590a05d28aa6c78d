// The evidence tables of the PostgreSQL store: reads as evidence-readers.ts gives them from SQLite, and
// the writes that run statements of their own (incident records, policy changes, API keys, checkpoints).
import type { Client, Pool } from 'pg';
import { LinderoError } from '../model/index.js';
import { CHAIN_KINDS, type ChainKind, RECORD_COLUMNS } from './chain.js';
import {
  type ChainRow, checkpointOf, checkPage, entriesWithRecords, entryOf, type LeafRow, leafOf, parseRecord, recordsWanted,
} from './evidence-readers.js';
import { hashApiKey, newApiKey } from './keys.js';
import type { PgBatch } from './pg-batch.js';
import type {
  ChainEntry, ChainEntryWithRecord, ChainLocation, Checkpoint, CreatedApiKey, IncidentAction, IncidentRecordToAppend, StoredIncidentRecord, StoredPolicyChange,
  UnchainedRecord,
} from './store.js';

interface CheckpointRow { n: number; hash: Buffer; signed_ms: number; public_key: string; signature: Buffer; tree_root: Buffer | null }

const CHECKPOINT = 'n, hash, signed_ms, public_key, signature, tree_root';

// Both forms' entries (chain.ts): the record form's in table chain, the commit form's in chain_commits
// with their leaves in chain_leaves, as the SQLite store keeps them (evidence-readers.ts).
const RECORD_ENTRY = 'SELECT n, kind, ref, record_hash, hash, NULL::int AS size, NULL::bytea AS root FROM chain';
const COMMIT_ENTRY = 'SELECT n, NULL, NULL, NULL, hash, size, root FROM chain_commits';
const HEAD_SQL = `SELECT * FROM ((${RECORD_ENTRY} ORDER BY n DESC LIMIT 1) UNION ALL (${COMMIT_ENTRY} ORDER BY n DESC LIMIT 1)) e ORDER BY n DESC LIMIT 1`;
const ENTRIES_SQL = `${RECORD_ENTRY} WHERE n > $1 UNION ALL ${COMMIT_ENTRY} WHERE n > $1 ORDER BY n LIMIT $2`;
const HASHES_SQL = 'SELECT n, hash FROM chain WHERE n > $1 UNION ALL SELECT n, hash FROM chain_commits WHERE n > $1 ORDER BY n LIMIT $2';
/** A record's entry, of either form, as an SQL expression over its kind and id. */
const chainN = (kind: ChainKind, id: string) =>
  `coalesce((SELECT n FROM chain WHERE kind = '${kind}' AND ref = ${id}), (SELECT n FROM chain_leaves WHERE kind = '${kind}' AND ref = ${id}))`;

export class PgEvidenceReaders {
  constructor(private readonly pool: Pool, private readonly where: string) {}

  private async rows<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, values)).rows as T[];
  }

  async chainHead(): Promise<ChainEntry | null> {
    const [row] = await this.rows<ChainRow>(HEAD_SQL);
    return row ? entryOf(row) : null;
  }

  async chainHashes(afterN: number, limit = 1000): Promise<Buffer[]> {
    checkPage(afterN, limit, 'chain hashes');
    return (await this.rows<{ hash: Buffer }>(HASHES_SQL, [afterN, limit])).map((r) => r.hash);
  }

  async chainEntries(afterN: number, limit = 1000): Promise<ChainEntryWithRecord[]> {
    checkPage(afterN, limit, 'chain entries');
    const rows = await this.rows<ChainRow>(ENTRIES_SQL, [afterN, limit]);
    const commitNs = rows.filter((r) => r.size !== null).map((r) => r.n);
    const leaves = commitNs.length === 0 ? [] : (await this.rows<LeafRow>(
      'SELECT n, leaf, kind, ref, record_hash FROM chain_leaves WHERE n = ANY($1::bigint[]) ORDER BY n, leaf', [commitNs])).map(leafOf);
    const records = new Map<string, Record<string, unknown>>();
    const seqs = new Map<string, number>();
    await Promise.all([...recordsWanted(rows, leaves)].map(async ([kind, ids]) => {
      const { table, columns } = RECORD_COLUMNS[kind];
      const seq = kind === 'fix' || kind === 'alert' ? ', seq AS seq_' : '';
      for (const row of await this.rows<Record<string, unknown>>(`SELECT ${columns.join(', ')}${seq} FROM ${table} WHERE id = ANY($1::bigint[])`, [ids])) {
        records.set(`${kind}:${row.id as number}`, row);
        if (row.seq_ !== undefined) seqs.set(`${kind}:${row.id as number}`, row.seq_ as number);
      }
    }));
    return entriesWithRecords(rows, leaves, records, seqs);
  }

  async chainEntriesOf(records: UnchainedRecord[]): Promise<ChainLocation[]> {
    const rows = await this.rows<{ n: number; leaf: number | null; kind: ChainKind; ref: number; record_hash: Buffer }>(
      `WITH r (kind, id) AS (SELECT * FROM unnest($1::text[], $2::bigint[]))
       SELECT c.n, NULL::int AS leaf, c.kind, c.ref, c.record_hash FROM r JOIN chain c ON c.kind = r.kind AND c.ref = r.id
       UNION ALL SELECT l.n, l.leaf, l.kind, l.ref, l.record_hash FROM r JOIN chain_leaves l ON l.kind = r.kind AND l.ref = r.id
       ORDER BY 1, 2`,
      [records.map((r) => r.kind), records.map((r) => r.id)],
    );
    return rows.map((r) => ({ n: r.n, leaf: r.leaf, kind: r.kind, ref: r.ref, recordHash: r.record_hash }));
  }

  async chainPositionsOfRecordHash(recordHash: Buffer): Promise<number[]> {
    const sql = 'SELECT n FROM chain WHERE record_hash = $1 UNION SELECT n FROM chain_leaves WHERE record_hash = $1 ORDER BY n';
    return (await this.rows<{ n: number }>(sql, [recordHash])).map((r) => r.n);
  }

  /** A record is chained by a record entry, or by a leaf of a commit entry that is there. */
  async unchainedRecords(limit = 100): Promise<UnchainedRecord[]> {
    const parts = CHAIN_KINDS.map((k) =>
      `(SELECT '${k}' AS kind, t.id FROM ${RECORD_COLUMNS[k].table} t WHERE NOT EXISTS (SELECT 1 FROM chain c WHERE c.kind = '${k}' AND c.ref = t.id)
         AND NOT EXISTS (SELECT 1 FROM chain_leaves l JOIN chain_commits k ON k.n = l.n WHERE l.kind = '${k}' AND l.ref = t.id))`);
    return this.rows<UnchainedRecord>(`${parts.join(' UNION ALL ')} LIMIT $1`, [limit]);
  }

  async checkpoints(afterN = 0, limit = 1000): Promise<Checkpoint[]> {
    checkPage(afterN, limit, 'checkpoints');
    return (await this.rows<CheckpointRow>(`SELECT ${CHECKPOINT} FROM checkpoints WHERE n > $1 ORDER BY n LIMIT $2`, [afterN, limit])).map(checkpointOf);
  }

  async latestCheckpoint(): Promise<Checkpoint | null> {
    const [row] = await this.rows<CheckpointRow>(`SELECT ${CHECKPOINT} FROM checkpoints ORDER BY n DESC LIMIT 1`);
    return row ? checkpointOf(row) : null;
  }

  async incidentRecords(incidentId?: number, afterId = 0): Promise<StoredIncidentRecord[]> {
    const rows = await this.rows<{ id: number; incident_id: number; action: IncidentAction; received_ms: number; record_json: string; chain_n: number | null }>(
      `SELECT r.id, r.incident_id, r.action, r.received_ms, r.record_json, ${chainN('incident', 'r.id')} AS chain_n FROM incident_records r
       WHERE ($1::bigint IS NULL OR r.incident_id = $1) AND r.id > $2 ORDER BY r.id`,
      [incidentId ?? null, afterId],
    );
    return rows.map((r) => ({
      id: r.id, incidentId: r.incident_id, action: r.action, receivedMs: r.received_ms, chainN: r.chain_n ?? 0,
      record: parseRecord(r.record_json, `incident record ${r.id}`, this.where),
    }));
  }

  async policyChanges(action?: string): Promise<StoredPolicyChange[]> {
    const rows = await this.rows<{ id: number; action: string; received_ms: number; record_json: string; chain_n: number | null }>(
      `SELECT p.id, p.action, p.received_ms, p.record_json, ${chainN('policy', 'p.id')} AS chain_n FROM policy_changes p
       WHERE $1::text IS NULL OR p.action = $1 ORDER BY p.id`,
      [action ?? null],
    );
    return rows.map((r) => ({
      id: r.id, action: r.action, receivedMs: r.received_ms, chainN: r.chain_n ?? 0,
      record: parseRecord(r.record_json, `policy change ${r.id}`, this.where),
    }));
  }
}

/** Writes with statements of their own; each runs in the commit's transaction, in a savepoint (pg-writer.ts). */
export const pgEvidenceWrites = {
  async policy(client: Client, batch: PgBatch, action: string, record: Record<string, unknown>, receivedMs: number): Promise<StoredPolicyChange> {
    const json = JSON.stringify(record);
    const { rows } = await client.query<{ id: number }>('INSERT INTO policy_changes (action, received_ms, record_json) VALUES ($1, $2, $3) RETURNING id', [action, receivedMs, json]);
    const id = rows[0].id;
    const chainN = batch.chain('policy', id, [action, receivedMs, json]);
    return { id, action, receivedMs, record: JSON.parse(json) as Record<string, unknown>, chainN };
  },

  async incident(client: Client, batch: PgBatch, item: IncidentRecordToAppend, receivedMs: number): Promise<StoredIncidentRecord> {
    let incidentId = item.incidentId;
    if (incidentId === null) {
      incidentId = (await client.query<{ next: number }>('SELECT coalesce(max(incident_id), 0) + 1 AS next FROM incident_records')).rows[0].next;
    } else if ((await client.query('SELECT 1 FROM incident_records WHERE incident_id = $1 LIMIT 1', [incidentId])).rowCount === 0) {
      throw new LinderoError('store-unknown-incident', `there is no incident ${incidentId}`, { field: 'incidentId' });
    }
    const json = JSON.stringify(item.record);
    const { rows } = await client.query<{ id: number }>(
      'INSERT INTO incident_records (incident_id, action, received_ms, record_json) VALUES ($1, $2, $3, $4) RETURNING id', [incidentId, item.action, receivedMs, json]);
    const id = rows[0].id;
    const chainN = batch.chain('incident', id, [incidentId, item.action, receivedMs, json]);
    return { id, incidentId, action: item.action, receivedMs, record: JSON.parse(json) as Record<string, unknown>, chainN };
  },

  async createApiKey(client: Client, batch: PgBatch, label: string, createdMs: number): Promise<CreatedApiKey> {
    const key = newApiKey();
    const { rows } = await client.query<{ id: number }>('INSERT INTO api_keys (label, key_hash, created_ms) VALUES ($1, $2, $3) RETURNING id', [label, hashApiKey(key), createdMs]);
    const id = rows[0].id;
    await pgEvidenceWrites.policy(client, batch, 'api-key-created', { key_id: id, label }, createdMs);
    return { id, label, key };
  },

  async revokeApiKey(client: Client, batch: PgBatch, id: number, revokedMs: number): Promise<boolean> {
    const { rowCount } = await client.query('UPDATE api_keys SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL', [revokedMs, id]);
    if (!rowCount) return false;
    await pgEvidenceWrites.policy(client, batch, 'api-key-revoked', { key_id: id }, revokedMs);
    return true;
  },

  async checkpoint(client: Client, batch: PgBatch, checkpoint: Checkpoint): Promise<Checkpoint> {
    const hash = batch.pendingHashAt(checkpoint.n)
      ?? (await client.query<{ hash: Buffer }>('SELECT hash FROM chain WHERE n = $1 UNION ALL SELECT hash FROM chain_commits WHERE n = $1', [checkpoint.n])).rows[0]?.hash;
    if (!hash || !hash.equals(checkpoint.hash)) {
      throw new LinderoError('store-bad-checkpoint', hash
        ? `checkpoint for chain entry ${checkpoint.n} signs a hash the chain does not have there`
        : `the chain has no entry ${checkpoint.n} to checkpoint`, { field: 'n' });
    }
    await client.query(`INSERT INTO checkpoints (${CHECKPOINT}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (n) DO NOTHING`,
      [checkpoint.n, checkpoint.hash, checkpoint.signedMs, checkpoint.publicKey, checkpoint.signature, checkpoint.treeRoot]);
    return checkpoint;
  },
};
