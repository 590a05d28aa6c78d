import { isPostgresUrl } from './pg-errors.js';
import { openPgStore } from './pg.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';
import { openWorkerStore } from './worker-store.js';

export interface OpenStoreOptions {
  /** A SQLite store runs in a worker thread (default true); a PostgreSQL store needs none. */
  inWorker?: boolean;
  /** For a PostgreSQL store: the local path its evidence key files are named after (default ./lindero-pg). */
  files?: string;
}

/** The store `db` names: a postgresql:// URL opens a PostgreSQL store, anything else a SQLite file. */
export function openStore(db: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(db)) return openPgStore(db, { files: options.files });
  return options.inWorker === false ? openSqliteStore(db) : openWorkerStore(db);
}
