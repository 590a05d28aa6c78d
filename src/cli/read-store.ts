// The store a command reads evidence from: a SQLite file (which must exist) or, for a postgresql:// URL,
// the database, with its evidence key named after --db-files as the server's is (default ./lindero-pg).
import { existingEvidenceKey, type EvidenceKey } from '../incidents/index.js';
import { isPostgresUrl, openSqliteStore, openStore, redactedUrl, type Store } from '../store/index.js';
import { existingFile } from './verify.js';

export interface ReadStore {
  store: Store;
  /** The store's evidence key when it is readable here (to sign a checkpoint when none covers the records yet). */
  key: EvidenceKey | null;
  /** The store as it may be printed (a URL without its password). */
  name: string;
}

/** Opens `--db` (default ./lindero.db); `files` is --db-files, for a PostgreSQL store. */
export async function openReadStore(db: string | undefined, files: string | undefined): Promise<ReadStore> {
  const where = db ?? './lindero.db';
  if (isPostgresUrl(where)) {
    const store = await openStore(where, { inWorker: false, files });
    return { store, key: existingEvidenceKey(store.file), name: redactedUrl(where) };
  }
  const file = existingFile(where, 'the store', 'db');
  return { store: await openSqliteStore(file), key: existingEvidenceKey(file), name: file };
}
