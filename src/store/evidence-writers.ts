import type { Database, Statement } from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import type { ChainWriter } from './chain.js';
import type { Checkpoint, IncidentRecordToAppend, StoredIncidentRecord, StoredPolicyChange } from './store.js';

/** Appends policy changes, each chained in the same transaction. */
export class PolicyWriter {
  private readonly insert: Statement;

  constructor(db: Database, private readonly chain: ChainWriter) {
    this.insert = db.prepare('INSERT INTO policy_changes (action, received_ms, record_json) VALUES (?, ?, ?)');
  }

  append(action: string, record: Record<string, unknown>, receivedMs: number): StoredPolicyChange {
    const json = JSON.stringify(record);
    const id = Number(this.insert.run(action, receivedMs, json).lastInsertRowid);
    const { n } = this.chain.append('policy', id);
    return { id, action, receivedMs, record: JSON.parse(json) as Record<string, unknown>, chainN: n };
  }
}

/** The write statements of incident records and checkpoints; each runs inside the group commit's transaction. */
export class EvidenceWriters {
  private readonly nextIncidentId: Statement;
  private readonly incidentExists: Statement;
  private readonly insertIncidentRecord: Statement;
  private readonly chainHashAt: Statement;
  private readonly insertCheckpoint: Statement;

  constructor(db: Database, private readonly chain: ChainWriter, private readonly policy: PolicyWriter) {
    this.nextIncidentId = db.prepare('SELECT coalesce(max(incident_id), 0) + 1 FROM incident_records').pluck();
    this.incidentExists = db.prepare('SELECT 1 FROM incident_records WHERE incident_id = ? LIMIT 1').pluck();
    this.insertIncidentRecord = db.prepare(
      'INSERT INTO incident_records (incident_id, action, received_ms, record_json) VALUES (?, ?, ?, ?)',
    );
    this.chainHashAt = db.prepare('SELECT hash FROM chain WHERE n = @n UNION ALL SELECT hash FROM chain_commits WHERE n = @n').pluck();
    this.insertCheckpoint = db.prepare(
      'INSERT INTO checkpoints (n, hash, signed_ms, public_key, signature, tree_root) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (n) DO NOTHING',
    );
  }

  appendIncidentRecord(item: IncidentRecordToAppend, receivedMs: number): StoredIncidentRecord {
    let incidentId = item.incidentId;
    if (incidentId === null) incidentId = this.nextIncidentId.get() as number;
    else if (this.incidentExists.get(incidentId) === undefined) {
      throw new LinderoError('store-unknown-incident', `there is no incident ${incidentId}`, { field: 'incidentId' });
    }
    const json = JSON.stringify(item.record);
    const id = Number(this.insertIncidentRecord.run(incidentId, item.action, receivedMs, json).lastInsertRowid);
    const { n } = this.chain.append('incident', id);
    return { id, incidentId, action: item.action, receivedMs, record: JSON.parse(json) as Record<string, unknown>, chainN: n };
  }

  appendPolicyChange(action: string, record: Record<string, unknown>, receivedMs: number): StoredPolicyChange {
    return this.policy.append(action, record, receivedMs);
  }

  appendCheckpoint(checkpoint: Checkpoint): Checkpoint {
    const hash = this.chainHashAt.get({ n: checkpoint.n }) as Buffer | undefined;
    if (!hash || !hash.equals(checkpoint.hash)) {
      throw new LinderoError('store-bad-checkpoint', hash
        ? `checkpoint for chain entry ${checkpoint.n} signs a hash the chain does not have there`
        : `the chain has no entry ${checkpoint.n} to checkpoint`, { field: 'n' });
    }
    this.insertCheckpoint.run(checkpoint.n, checkpoint.hash, checkpoint.signedMs, checkpoint.publicKey, checkpoint.signature, checkpoint.treeRoot);
    return checkpoint;
  }
}
