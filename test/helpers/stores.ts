// The store's tests run against both implementations: the SQLite file (in the caller's thread) and a
// PostgreSQL database in a throwaway cluster (test/helpers/postgres.ts), started when the first test
// needs it. Without PostgreSQL installed, its half is skipped with the reason.
import { postgresMissing, startPgCluster, type PgCluster } from './postgres.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPgStore } from '../../src/store/pg.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { ChainForm, Store } from '../../src/store/index.js';
import { tempDir } from './store-fixtures.js';

export interface OpenTestStore {
  now?: () => number;
  /** The form new chain entries take (default 'commit'); 'record' makes a store as releases before the commit form did. */
  chainForm?: ChainForm;
}

export interface StoreKind {
  name: 'SQLite' | 'PostgreSQL';
  /** A reason to skip this implementation's tests, or false. */
  skip: string | false;
  /** Opens the store called `name` (a new one the first time, the same one after). */
  open(name: string, options?: OpenTestStore): Promise<Store>;
  /** Where the store `name` lives: its file, or its database's URL. */
  locate(name: string): Promise<string>;
  /** Runs SQL on the store `name` behind the store's back (as someone with access to the database could). */
  exec(name: string, sql: string): Promise<void>;
  close(): Promise<void>;
}

function sqliteKind(): StoreKind {
  let tmp: ReturnType<typeof tempDir> | null = null;
  const locate = async (name: string) => {
    tmp ??= tempDir();
    return tmp.file(name);
  };
  return {
    name: 'SQLite',
    skip: false,
    locate,
    open: async (name, options = {}) => openSqliteStore(await locate(name), { now: options.now, chainForm: options.chainForm }),
    async exec(name, sql) {
      const db = new Database(await locate(name));
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    async close() {
      tmp?.remove();
      tmp = null;
    },
  };
}

function postgresKind(): StoreKind {
  const missing = postgresMissing();
  let cluster: Promise<PgCluster> | null = null;
  const databases = new Map<string, Promise<string>>();
  let files: ReturnType<typeof tempDir> | null = null;
  const locate = (name: string): Promise<string> => {
    let url = databases.get(name);
    if (!url) {
      cluster ??= startPgCluster();
      url = cluster.then((c) => c.createDatabase());
      databases.set(name, url);
    }
    return url;
  };
  return {
    name: 'PostgreSQL',
    skip: missing ? `PostgreSQL store tests skipped: ${missing}` : false,
    locate,
    async exec(name, sql) {
      const client = new pg.Client({ connectionString: await locate(name) });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
    async open(name, options = {}) {
      files ??= tempDir();
      return openPgStore(await locate(name), { now: options.now, files: files.file(name), chainForm: options.chainForm });
    },
    async close() {
      const c = cluster;
      cluster = null;
      databases.clear();
      files?.remove();
      files = null;
      if (c) await (await c).stop();
    },
  };
}

/** Both implementations, each with its own files or cluster; close() them in the test file's after(). */
export function storeKinds(): StoreKind[] & { close(): Promise<void> } {
  const kinds = [sqliteKind(), postgresKind()];
  return Object.assign(kinds, { close: async () => { for (const kind of kinds) await kind.close(); } });
}
