export type {
  AlertQuery, ApiKeyInfo, AppendResult, CreatedApiKey, FixToAppend, Store, StoreEvent, StoredAlert, StoredFix, UnitSummary,
} from './store.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate, type Migration } from './schema.js';
export { hashApiKey, isWellFormedApiKey, newApiKey } from './keys.js';
export { MAX_UNIT_LENGTH } from './validate.js';
