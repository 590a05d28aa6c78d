import type { Database } from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import { ChainWriter } from './chain.js';
import { addTrust } from './schema-trust.js';
import { isEnvironmentError } from './sqlite-errors.js';

/** PRAGMA application_id marking a lindero store: "LNDR" in ASCII. Tells our files from other SQLite files. */
export const APPLICATION_ID = 0x4c4e4452;

/** One schema step. Steps run in order, each in its own transaction together with its user_version bump. */
export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

const V1_CORE = `
-- Every accepted record gets exactly one event, written in the record's own transaction, so seq is the
-- global commit order across fixes and alerts. AUTOINCREMENT: a seq is never reused, even after deletion.
-- Evidence chain: a later migration adds the chain here (e.g. hash = H(previous hash || canonical record)),
-- computed over events in seq order; nothing else needs to change for it.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('fix', 'alert')),
  received_ms INTEGER NOT NULL
);

CREATE TABLE fixes (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE REFERENCES events (seq),
  unit TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  accuracy_m REAL,
  alt_m REAL,
  speed_mps REAL,
  course_deg REAL,
  source TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  late INTEGER NOT NULL,
  -- The determination, as columns for querying and whole as JSON.
  territory TEXT NOT NULL,
  boundary_distance_m REAL NOT NULL,
  confidence REAL NOT NULL,
  certain INTEGER NOT NULL,
  zone TEXT NOT NULL,
  fence_name TEXT,
  fence_side TEXT,
  fence_distance_m REAL,
  determination_json TEXT NOT NULL
);
-- A fix is the same fix when unit, device time and position agree: it is stored once.
CREATE UNIQUE INDEX fixes_identity ON fixes (unit, time_ms, lat, lon);
CREATE INDEX fixes_time ON fixes (time_ms);

-- Kept in step with fixes in the same transaction: the latest fix by device time (ties: latest arrival).
CREATE TABLE unit_latest (
  unit TEXT PRIMARY KEY,
  fix_id INTEGER NOT NULL REFERENCES fixes (id),
  time_ms INTEGER NOT NULL,
  first_time_ms INTEGER NOT NULL,
  fix_count INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE REFERENCES events (seq),
  kind TEXT NOT NULL,
  unit TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  other_unit TEXT,
  territory TEXT NOT NULL,
  zone TEXT NOT NULL,
  late INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  alert_json TEXT NOT NULL
);
CREATE INDEX alerts_time ON alerts (time_ms);
CREATE INDEX alerts_unit ON alerts (unit, id);

-- Only a hash of each key is kept; the key itself is shown once when it is created.
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL,
  key_hash BLOB NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL,
  revoked_ms INTEGER
);
`;

const V2_EVIDENCE = `
-- The evidence chain (see chain.ts): entry n binds record n to entry n-1. n has no gaps; each record is
-- chained once. ref is the record's id in its own table.
CREATE TABLE chain (
  n INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('fix', 'alert', 'incident', 'policy')),
  ref INTEGER NOT NULL,
  record_hash BLOB NOT NULL,
  hash BLOB NOT NULL,
  UNIQUE (kind, ref)
);

-- A chain head signed with the server's Ed25519 key: what an attacker who rewrites the chain cannot redo.
CREATE TABLE checkpoints (
  n INTEGER PRIMARY KEY,
  hash BLOB NOT NULL,
  signed_ms INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  signature BLOB NOT NULL
);

-- Incidents are append-only: an incident is the fold of its records (opened, extended, noted).
CREATE TABLE incident_records (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  record_json TEXT NOT NULL
);
CREATE INDEX incident_records_incident ON incident_records (incident_id, id);

-- Changes of policy (API keys issued and revoked, layers in force, sharing rules), append-only.
CREATE TABLE policy_changes (
  id INTEGER PRIMARY KEY,
  action TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  record_json TEXT NOT NULL
);
`;

/** Creates the evidence tables and chains the fixes and alerts already stored, in their global order. */
function addEvidence(db: Database): void {
  db.exec(V2_EVIDENCE);
  // The chain's first form: this step predates the commit form (step 6).
  const chain = new ChainWriter(db, 'record');
  // In pages: a statement cannot write while another one is still being iterated on the same connection.
  const page = db.prepare(
    `SELECT e.seq, e.kind, coalesce(f.id, a.id) AS id FROM events e
     LEFT JOIN fixes f ON e.kind = 'fix' AND f.seq = e.seq LEFT JOIN alerts a ON e.kind = 'alert' AND a.seq = e.seq
     WHERE e.seq > ? ORDER BY e.seq LIMIT 10000`,
  );
  let afterSeq = 0;
  for (;;) {
    const rows = page.all(afterSeq) as { seq: number; kind: 'fix' | 'alert'; id: number | null }[];
    if (rows.length === 0) return;
    for (const row of rows) if (row.id !== null) chain.append(row.kind, row.id);
    afterSeq = rows[rows.length - 1].seq;
  }
}

const V4_FIX_NAMES = `
-- What a person calls the unit and its team, as the fix said, and the notes of the range rules (a JSON
-- array of sentences: auxiliary values changed or left off). Null when absent, and in rows stored before.
ALTER TABLE fixes ADD COLUMN name TEXT;
ALTER TABLE fixes ADD COLUMN group_name TEXT;
ALTER TABLE fixes ADD COLUMN notes_json TEXT;
`;

const V7_FIX_EMERGENCY = `
-- An emergency the fix declared or cancelled (ATAK's 911 alert, a Garmin inReach SOS), as JSON
-- {"state": "declared" | "cancelled", "what": the device's name for it}. Null for every other fix, and in rows stored before.
ALTER TABLE fixes ADD COLUMN emergency_json TEXT;
`;

const V5_SESSIONS = `
-- Operators' sessions, so that a restart does not sign everyone out: only the SHA-256 of the cookie's id.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
`;

const V6_COMMIT_CHAIN = `
-- The evidence chain's commit form (see chain.ts): from here on, one entry per write commit, whose
-- records are the leaves of an RFC 6962 Merkle tree. Positions n continue those of table chain, whose
-- rows stay as they are. chain_leaves locates every record: its entry and its leaf index.
CREATE TABLE chain_commits (
  n INTEGER PRIMARY KEY,
  size INTEGER NOT NULL,
  root BLOB NOT NULL,
  hash BLOB NOT NULL
);
CREATE TABLE chain_leaves (
  n INTEGER NOT NULL,
  leaf INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ref INTEGER NOT NULL,
  record_hash BLOB NOT NULL,
  PRIMARY KEY (n, leaf),
  UNIQUE (kind, ref)
) WITHOUT ROWID;

-- A checkpoint also signs the RFC 6962 tree head over the hashes of entries 1 to n (null in checkpoints
-- signed before this step), so one record is proven by two audit paths rather than the whole run of
-- entries up to the checkpoint.
ALTER TABLE checkpoints ADD COLUMN tree_root BLOB;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'events, fixes, unit_latest, alerts, api_keys', up: (db) => db.exec(V1_CORE) },
  { version: 2, description: 'evidence chain, checkpoints, incident records, policy changes', up: addEvidence },
  { version: 3, description: 'devices and their units, operators, API key roles, acknowledgements', up: addTrust },
  { version: 4, description: "a fix's name, group and notes", up: (db) => db.exec(V4_FIX_NAMES) },
  { version: 5, description: "operators' sessions", up: (db) => db.exec(V5_SESSIONS) },
  { version: 6, description: 'evidence chain entries per commit, as Merkle trees; checkpoint tree heads', up: (db) => db.exec(V6_COMMIT_CHAIN) },
  { version: 7, description: 'an emergency a fix declared or cancelled', up: (db) => db.exec(V7_FIX_EMERGENCY) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

function pragmaNumber(db: Database, name: string): number {
  return db.pragma(name, { simple: true }) as number;
}

function hasTables(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() !== undefined;
}

/** Refuses files that are not ours, or are ours from a newer release whose schema we cannot know. */
function checkOwnership(db: Database, file: string, latest: number): void {
  const appId = pragmaNumber(db, 'application_id');
  const version = pragmaNumber(db, 'user_version');
  if (appId === 0 && version === 0 && !hasTables(db)) return;
  if (appId !== APPLICATION_ID) {
    throw new LinderoError(
      'store-foreign',
      `${file} is a SQLite database but not a lindero store (application_id ${appId}); refusing to add tables to it`,
      { file },
    );
  }
  if (version > latest) {
    throw new LinderoError(
      'store-too-new',
      `${file} has schema version ${version}, newer than this lindero understands (up to ${latest}); upgrade lindero to open it`,
      { file, field: 'user_version' },
    );
  }
}

function checkSteps(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i} has version ${m.version}, expected ${i + 1}`);
  });
}

/**
 * Brings the file's schema up to the last migration. Each step re-reads user_version inside its
 * write transaction, so two processes opening the same new file do not both run a step.
 */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  checkSteps(migrations);
  const latest = migrations.length;
  checkOwnership(db, file, latest);
  const from = pragmaNumber(db, 'user_version');
  for (const step of migrations) {
    if (step.version <= from) continue;
    const run = db.transaction(() => {
      const current = pragmaNumber(db, 'user_version');
      if (current >= step.version) return;
      if (current !== step.version - 1) throw new Error(`schema is at version ${current}, cannot apply step ${step.version}`);
      step.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${step.version}`);
    });
    try {
      run.immediate();
    } catch (e) {
      if (e instanceof LinderoError || isEnvironmentError(e)) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      throw new LinderoError(
        'store-migration-failed',
        `${file}: schema step ${step.version} (${step.description}) failed and was rolled back: ${reason}`,
        { file, field: 'user_version' },
      );
    }
  }
  return { from, to: pragmaNumber(db, 'user_version') };
}
