// The store a command reads: a SQLite file (which must exist: reading must not create one) or, for a
// postgresql:// URL, the database, its local files (the evidence key) named after --db-files as the
// server's are (default ./lindero-pg). Either way the store's `file` is what its evidence key is named after.
import { isPostgresUrl, openSqliteStore, openStore, redactedUrl, type Store } from '../store/index.js';
import { existingFile } from './args.js';

/** Opens `--db` (default ./lindero.db); `files` is --db-files, for a PostgreSQL store. `name` may be printed (a URL without its password). */
export async function openCliStore(db: string | undefined, files?: string): Promise<{ store: Store; name: string }> {
  const where = db ?? './lindero.db';
  if (isPostgresUrl(where)) return { store: await openStore(where, { inWorker: false, files }), name: redactedUrl(where) };
  return { store: await openSqliteStore(existingFile(where, 'the store', 'db')), name: where };
}
