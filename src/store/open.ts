import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { LinderoError } from '../model/index.js';
import { migrate, type Migration, MIGRATIONS } from './schema.js';
import { storeError } from './sqlite-errors.js';

export interface OpenOptions {
  /** How long to wait for another connection's lock before failing, ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Run PRAGMA quick_check at open (reads the whole file) and refuse a damaged file. Default false. */
  verify?: boolean;
  /**
   * WAL pages after which a commit checkpoints the WAL itself (SQLite's default 1000). A server whose
   * checkpoints run in another thread sets this high, as a backstop only.
   */
  autoCheckpointPages?: number;
  /** Schema steps; the default is the store's own. */
  migrations?: readonly Migration[];
}

// WAL with synchronous=FULL: a commit returns only after the WAL is fsynced, so an acknowledged
// write survives power loss (with NORMAL, WAL commits are durable only at the next checkpoint).
function configure(db: Database.Database, file: string, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') {
    throw new LinderoError('store-cannot-open', `${file}: cannot switch to write-ahead logging (journal mode stays '${mode}')`, { file });
  }
  db.pragma('synchronous = FULL');
  // macOS fsync does not flush the drive's cache; F_FULLFSYNC does. A no-op on other systems.
  db.pragma('fullfsync = ON');
  db.pragma('foreign_keys = ON');
  // Keep the WAL file from staying large after a burst: truncate it to 64 MiB after checkpoints.
  db.pragma('journal_size_limit = 67108864');
}

function quickCheck(db: Database.Database, file: string): void {
  const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  if (problems.length === 1 && problems[0] === 'ok') return;
  const shown = problems.join('; ').slice(0, 500);
  throw new LinderoError('store-corrupt', `${file} is corrupt: ${shown}; restore it from a backup`, { file });
}

/** Opens (creating if needed) and migrates a store file; every failure is a LinderoError naming the file. */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  if (!existsSync(dirname(file))) {
    throw new LinderoError('store-cannot-open', `cannot open ${file}: its directory ${dirname(file)} does not exist`, { file });
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    configure(db, file, options.busyTimeoutMs ?? 5000);
    if (options.autoCheckpointPages !== undefined) db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(options.autoCheckpointPages))}`);
    // Reading the schema touches page 1: a damaged header or schema page fails here, not later.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    if (options.verify) quickCheck(db, file);
    migrate(db, file, options.migrations ?? MIGRATIONS);
    return db;
  } catch (e) {
    db?.close();
    throw storeError(e, file);
  }
}
