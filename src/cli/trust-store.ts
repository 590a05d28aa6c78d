// The trust tables the CLI's device, user and key commands work on: the SQLite file's (a connection of
// its own), or, for a postgresql:// URL, the database's, shared by every node serving it. The
// certificate authority stays on this machine's disk beside the store's files (FILE.ca/, or with
// PostgreSQL PATH.ca/ beside --db-files, default ./lindero-pg.ca/): the same as the server's.
import { isPostgresUrl, openStore } from '../store/index.js';
import { authorityDir, openTrustStore, TrustDb, type TrustStore } from '../trust/index.js';

export interface OpenedTrust {
  trust: TrustStore;
  /** The certificate authority's directory. */
  caDir: string;
  close(): Promise<void>;
}

export async function openCliTrust(db: string, files: string | undefined): Promise<OpenedTrust> {
  if (!isPostgresUrl(db)) {
    const trust = TrustDb.open(db);
    return { trust, caDir: authorityDir(db), close: async () => trust.close() };
  }
  const store = await openStore(db, { inWorker: false, files });
  const trust = openTrustStore(store);
  return { trust, caDir: authorityDir(store.file), close: async () => { await trust.close(); await store.close(); } };
}
