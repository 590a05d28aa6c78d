// The storage of fixes, alerts and evidence: the Store contract, SQLite (default) and PostgreSQL, the evidence chain and checkpoints.
export type {
  AlertQuery, ApiKeyInfo, AppendResult, ChainEntry, ChainEntryWithRecord, ChainLeaf, ChainLocation, Checkpoint, CommitChainEntry, RecordChainEntry, WithRecord, CreatedApiKey, FixToAppend, IncidentAction,
  IncidentRecordToAppend, RulesEvaluated, Store, StoreEvent, UnitLeaseChange, UnitLeases, StoredAlert, StoredFix, StoredIncidentRecord, StoredPolicyChange, UnchainedRecord,
  UnitSummary,
} from './store.js';
export {
  CHAIN_KINDS, GENESIS_HASH, RECORD_COLUMNS, chainRecord, commitLinkHash, commitRoot, linkHash, recordHash, sha256, type ChainForm, type ChainKind,
  type ChainRecord,
} from './chain.js';
export { EMPTY_ROOT, leafHash, MerkleFrontier, MerkleTree, merkleRoot, nodeHash, rootFromPath } from './merkle.js';
export { entryRecords } from './entry-records.js';
export { canonicalJson, type CanonicalValue } from './canonical.js';
export { openMemoryStore, openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate, type Migration } from './schema.js';
export { hashApiKey, isWellFormedApiKey, newApiKey } from './keys.js';
export { MAX_EVIDENCE_RECORD_BYTES, MAX_UNIT_LENGTH } from './validate.js';
export { openWorkerStore, WorkerStore } from './worker-store.js';
export { storedFixOf } from './rows.js';
export { openPgStore, PgStore, type PgStoreOptions, type SideQuery } from './pg.js';
export { PG_MIGRATIONS, migratePg, type PgMigration } from './pg-schema.js';
export { isPostgresUrl, redactedUrl } from './pg-errors.js';
export { openStore, type OpenStoreOptions } from './open-store.js';
// For the trust tables (src/trust), written on a connection of their own in the store's file: each
// change and its chained policy record in one transaction.
export { openDatabase, type OpenOptions } from './open.js';
export { ChainWriter } from './chain.js';
export { PolicyWriter } from './evidence-writers.js';
export { sameHash } from './keys.js';
export type { Lease } from './pg-lease.js';
export { RULE_BUCKETS, unitBucket } from './unit-buckets.js';
export { fairShare, LEASE_RENEW_MS, LEASE_TTL_MS } from './pg-unit-leases.js';
