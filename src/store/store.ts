import type { Determination } from '../geo/index.js';
import type { Fix } from '../model/index.js';
import type { Alert } from '../model/index.js';
import type { ChainKind, ChainRecord } from './chain.js';
import type { Lease } from './pg-lease.js';

/** One fix to append, with the determination it was classified as when it arrived. */
export interface FixToAppend {
  fix: Fix;
  determination: Determination;
}

/** What happened to one appended fix. */
export interface AppendResult {
  /** 'duplicate' when the same unit, device time, lat and lon was already stored; nothing new was written. */
  status: 'stored' | 'duplicate';
  /** Fix id: of the new row, or of the row already stored for a duplicate. */
  id: number;
  /** Global order of the stored record (see StoreEvent). */
  seq: number;
  /** The fix is older, by device time, than the unit's latest fix stored before it. */
  late: boolean;
}

/** A fix as stored, with its determination. */
export interface StoredFix extends Fix {
  id: number;
  seq: number;
  /** Server clock when the fix was accepted, ms since epoch, UTC. */
  receivedMs: number;
  /** It was older than the unit's latest stored fix when it arrived. */
  late: boolean;
  determination: Determination;
}

/** A unit and its latest fix by device time. */
export interface UnitSummary {
  unit: string;
  fixCount: number;
  /** Device time of the unit's earliest stored fix. */
  firstTime: number;
  lastFix: StoredFix;
}

export interface StoredAlert extends Alert {
  id: number;
  seq: number;
  /** Server clock when the alert was stored, ms since epoch, UTC. */
  receivedMs: number;
}

/** Which alerts to read. Results are in the order they were stored (ascending id). */
export interface AlertQuery {
  /** Only alerts whose device time is at or after this, ms since epoch. */
  sinceMs?: number;
  /** Only alerts stored after the alert with this id (for polling: pass the last id seen). */
  sinceId?: number;
  unit?: string;
  /** Only alerts whose device time is before this, ms since epoch. */
  untilMs?: number;
  /** Only alerts of these kinds. */
  kinds?: string[];
  /** Only alerts about a partner's unit: the other unit ends in `@PARTNER`. */
  partner?: string;
  /** The newest `limit` matching alerts, newest first (default: the first `limit`, in stored order). */
  newestFirst?: boolean;
  /** At most this many (default 1000, at most 10000). */
  limit?: number;
}

/**
 * Every accepted fix and alert, in one global order. `seq` increases strictly, across fixes and alerts,
 * in commit order, and is never reused. The evidence chain follows the same order (and also holds
 * incident records and policy changes).
 */
export type StoreEvent =
  | { seq: number; kind: 'fix'; receivedMs: number; fix: StoredFix }
  | { seq: number; kind: 'alert'; receivedMs: number; alert: StoredAlert };

export interface ApiKeyInfo {
  id: number;
  label: string;
  createdMs: number;
  /** When it was revoked, or null while it is valid. */
  revokedMs: number | null;
}

/** A newly created key: `key` is shown once and never stored. */
export interface CreatedApiKey {
  id: number;
  label: string;
  key: string;
}

/** What an incident record says happened. */
export type IncidentAction = 'opened' | 'extended' | 'noted';

export interface IncidentRecordToAppend {
  /** The incident it belongs to, or null to open a new incident (its id is allocated). */
  incidentId: number | null;
  action: IncidentAction;
  /** What to record: a plain JSON object (at most 64 KiB as JSON). */
  record: Record<string, unknown>;
}

export interface StoredIncidentRecord {
  id: number;
  incidentId: number;
  action: IncidentAction;
  receivedMs: number;
  record: Record<string, unknown>;
  /** Its position in the evidence chain. */
  chainN: number;
}

export interface StoredPolicyChange {
  id: number;
  action: string;
  receivedMs: number;
  record: Record<string, unknown>;
  chainN: number;
}

/** An entry of the evidence chain's record form: one record (see chain.ts for the hashes). */
export interface RecordChainEntry {
  form: 'record';
  n: number;
  hash: Buffer;
  kind: ChainKind;
  /** The record's id in its own table. */
  ref: number;
  recordHash: Buffer;
}

/** An entry of the evidence chain's commit form: one write commit's records as an RFC 6962 tree (see chain.ts). */
export interface CommitChainEntry {
  form: 'commit';
  n: number;
  hash: Buffer;
  /** Its records (leaves), at least 1. */
  size: number;
  /** The tree hash over their record hashes. */
  root: Buffer;
}

export type ChainEntry = RecordChainEntry | CommitChainEntry;

/** A record of the commit form: leaf `leaf` of entry n. */
export interface ChainLeaf {
  n: number;
  leaf: number;
  kind: ChainKind;
  ref: number;
  recordHash: Buffer;
}

/** A record as stored now (null when the row is gone), with its `seq` for fixes and alerts. */
export interface WithRecord {
  record: ChainRecord | null;
  seq: number | null;
}

/**
 * A chain entry with its records as stored now: the record form's one record, or the commit form's
 * leaves as chain_leaves holds them (in leaf order; a leaf row deleted or moved shows as a gap or an
 * extra there), each with its record.
 */
export type ChainEntryWithRecord =
  | (RecordChainEntry & WithRecord)
  | (CommitChainEntry & { leaves: (ChainLeaf & WithRecord)[] });

/** Where a record is in the chain: its entry and, in the commit form, its leaf index (null in the record form). */
export interface ChainLocation {
  n: number;
  leaf: number | null;
  kind: ChainKind;
  ref: number;
  recordHash: Buffer;
}

/** A chain head signed with the server's Ed25519 key. */
export interface Checkpoint {
  n: number;
  hash: Buffer;
  signedMs: number;
  /** SPKI PEM of the key that signed. */
  publicKey: string;
  signature: Buffer;
  /**
   * The RFC 6962 tree head over the hashes of entries 1 to n (leaf data: each entry's hash), signed with
   * it; null in checkpoints signed before schema step 6.
   */
  treeRoot: Buffer | null;
}

/** A stored row that has no chain entry. */
export interface UnchainedRecord {
  kind: ChainKind;
  id: number;
}

/** Buckets of units gained and lost by this node (see unit-buckets.ts), in increasing order. */
export interface UnitLeaseChange {
  gained: number[];
  lost: number[];
}

/** The buckets of units whose live rules this node runs now. */
export interface UnitLeases {
  readonly owned: ReadonlySet<number>;
  owns(bucket: number): boolean;
  /** Lets every bucket go (other nodes take them on their next round) and stops renewing. */
  stop(): Promise<void>;
}

/** Where the live rules of a bucket's units have got to: every fix of them up to `seq` is evaluated. */
export interface RulesEvaluated {
  buckets: number[];
  seq: number;
}

/**
 * The durable store. Every write resolves only after the transaction holding it is committed
 * durably; concurrent writes share one commit. Time ranges are inclusive at both ends.
 */
export interface Store {
  /** Appends fixes atomically (all or none), one result per item in order. Duplicates are stored once. */
  appendFixes(items: FixToAppend[]): Promise<AppendResult[]>;
  /**
   * appendFixes, and in the same commit the alerts those fixes raised (after the fixes, in order): both
   * are stored or neither.
   */
  appendFixesAndAlerts(items: FixToAppend[], alerts: Alert[]): Promise<{ fixes: AppendResult[]; alerts: StoredAlert[] }>;
  appendAlert(alert: Alert): Promise<StoredAlert>;

  /** Every unit with its latest fix by device time, ordered by unit. */
  units(): Promise<UnitSummary[]>;
  /** A unit's fixes ordered by device time (then by arrival). */
  track(unit: string, fromMs?: number, toMs?: number): Promise<StoredFix[]>;
  /** Fixes with device time in [fromMs, toMs], ordered by device time, optionally only these units. */
  fixesInWindow(fromMs: number, toMs: number, units?: string[]): Promise<StoredFix[]>;
  /** The unit's latest fix with device time strictly before timeMs, or null. */
  latestFixBefore(unit: string, timeMs: number): Promise<StoredFix | null>;
  alerts(query?: AlertQuery): Promise<StoredAlert[]>;
  /** Records with seq greater than afterSeq, in seq order, at most `limit` (default 1000). */
  eventsAfter(afterSeq: number, limit?: number): Promise<StoreEvent[]>;
  /** The seq of the last record stored (0 when none): where a reader that starts now begins. */
  lastEventSeq(): Promise<number>;

  createApiKey(label: string): Promise<CreatedApiKey>;
  /** The key's id and label when it is valid (known and not revoked), else null. */
  verifyApiKey(key: string): Promise<{ id: number; label: string } | null>;
  /** Revokes a key; false when there is no valid key with that id. */
  revokeApiKey(id: number): Promise<boolean>;
  apiKeys(): Promise<ApiKeyInfo[]>;

  /** Appends an incident record (chained); with incidentId null it opens a new incident. */
  appendIncidentRecord(item: IncidentRecordToAppend): Promise<StoredIncidentRecord>;
  /** Incident records in the order stored, of one incident or of all; with `afterId`, only those stored after that record. */
  incidentRecords(incidentId?: number, afterId?: number): Promise<StoredIncidentRecord[]>;
  /** Appends a policy change (chained). Issuing and revoking API keys record theirs on their own. */
  appendPolicyChange(action: string, record: Record<string, unknown>): Promise<StoredPolicyChange>;
  /** The policy changes in the order stored; only those of `action` when given. */
  policyChanges(action?: string): Promise<StoredPolicyChange[]>;

  /** The last chain entry, or null while the chain is empty. */
  chainHead(): Promise<ChainEntry | null>;
  /** The hashes of the entries after afterN, in order, at most `limit` (default 1000): the leaves of a checkpoint's tree. */
  chainHashes(afterN: number, limit?: number): Promise<Buffer[]>;
  /** Chain entries with n greater than afterN, in order, with their records as stored now; at most `limit` (default 1000). */
  chainEntries(afterN: number, limit?: number): Promise<ChainEntryWithRecord[]>;
  /** Where these records are in the chain (those that have a place), in chain order. */
  chainEntriesOf(records: UnchainedRecord[]): Promise<ChainLocation[]>;
  /** Positions whose record, or one of whose leaves, has this record hash (to tell a moved record from an altered one). */
  chainPositionsOfRecordHash(recordHash: Buffer): Promise<number[]>;
  /** Stored rows with no chain entry (at most `limit`, default 100). */
  unchainedRecords(limit?: number): Promise<UnchainedRecord[]>;
  /** Stores a signed checkpoint; refused unless the chain has entry n with exactly that hash (its tree root is the signer's to get right, and verify's to check). */
  appendCheckpoint(checkpoint: Checkpoint): Promise<Checkpoint>;
  /** Checkpoints after position afterN (default 0), in chain order, at most `limit` (default 1000). */
  checkpoints(afterN?: number, limit?: number): Promise<Checkpoint[]>;
  /** The checkpoint of the highest position, or null. */
  latestCheckpoint(): Promise<Checkpoint | null>;

  /** Where the store lives (a file path), for files kept beside it such as the evidence key. */
  readonly file: string;
  /** Which database holds it: one SQLite file, or PostgreSQL shared by several nodes. */
  readonly kind: 'sqlite' | 'postgresql';
  /**
   * Calls onEvents with what other nodes sharing this store committed, as they commit it (PostgreSQL's
   * LISTEN/NOTIFY). Absent where no other node can write (one SQLite file has one writer).
   */
  onOtherWrites?(onEvents: (events: StoreEvent[]) => void, onError?: (e: unknown) => void): Promise<void>;
  /**
   * For a job that must run on one node at a time: tries for the lease `name` now and, while another node
   * holds it, again every few seconds; onChange says when this node gains or loses it. Absent where one
   * process is the only writer (SQLite): there the job always runs.
   */
  lease?(name: string, onChange: (held: boolean) => void): Promise<Lease>;

  /**
   * For units' live rules on several nodes: leases the buckets of units (unit-buckets.ts) this node is to
   * run, renewing them and taking over those of nodes gone; onChange tells of each change. Resolves after
   * the first round (a node alone then holds every bucket). Absent where one process writes (SQLite): it
   * runs every unit's rules.
   */
  unitLeases?(onChange: (change: UnitLeaseChange) => void, onError?: (e: unknown) => void): Promise<UnitLeases>;
  /**
   * Fixes with seq greater than afterSeq, in seq order, at most `limit` (default 1000), read at one moment:
   * every fix with seq in (afterSeq, throughSeq] is among them, and none after it is stored yet or missing.
   */
  fixesAfter?(afterSeq: number, limit?: number): Promise<{ fixes: StoredFix[]; throughSeq: number }>;
  /** Each bucket's stored watermark: the seq up to which its units' fixes were evaluated. */
  ruleWatermarks?(buckets: number[]): Promise<Map<number, number>>;
  /**
   * Stores the alerts the live rules raised, each unless the same alert (unit, kind, device time, other
   * unit) is stored already, and in the same commit moves the buckets' watermarks up to `evaluated.seq`.
   * Returns the alerts newly stored.
   */
  appendRuleAlerts?(alerts: Alert[], evaluated: RulesEvaluated | null): Promise<StoredAlert[]>;

  /** Waits for pending writes to commit, then closes. Later calls reject with code 'store-closed'. */
  close(): Promise<void>;
}
