import type { Determination } from '../geo/index.js';
import type { Fix } from '../ingest/fix.js';
import type { Alert } from '../track/types.js';

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
  /** At most this many (default 1000, at most 10000). */
  limit?: number;
}

/**
 * Every accepted record, in one global order. `seq` increases strictly, across fixes and alerts,
 * in commit order, and is never reused. An evidence chain is built over this sequence.
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

/**
 * The durable store. Every write resolves only after the transaction holding it is committed
 * durably; concurrent writes share one commit. Time ranges are inclusive at both ends.
 */
export interface Store {
  /** Appends fixes atomically (all or none), one result per item in order. Duplicates are stored once. */
  appendFixes(items: FixToAppend[]): Promise<AppendResult[]>;
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

  createApiKey(label: string): Promise<CreatedApiKey>;
  /** The key's id and label when it is valid (known and not revoked), else null. */
  verifyApiKey(key: string): Promise<{ id: number; label: string } | null>;
  /** Revokes a key; false when there is no valid key with that id. */
  revokeApiKey(id: number): Promise<boolean>;
  apiKeys(): Promise<ApiKeyInfo[]>;

  /** Waits for pending writes to commit, then closes. Later calls reject with code 'store-closed'. */
  close(): Promise<void>;
}
