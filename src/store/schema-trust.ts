// Schema step 3: who may report and who may read. Devices (each with the units it may report, a token
// hash and the serial of its client certificate), operator accounts with roles, a role on API keys,
// and acknowledgements of alerts with who made them. Every change is also a chained policy change.
import type { Database } from 'better-sqlite3';

const V3_TRUST = `
-- A device reports only the units in device_units. Only hashes of tokens are kept; the token is shown once.
CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  token_hash BLOB NOT NULL UNIQUE,
  -- The client certificate issued by the server's own certificate authority: serial in upper-case hex.
  cert_serial TEXT NOT NULL UNIQUE,
  cert_sha256 TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  revoked_ms INTEGER
);
CREATE TABLE device_units (
  device_id INTEGER NOT NULL REFERENCES devices (id),
  unit TEXT NOT NULL,
  PRIMARY KEY (device_id, unit)
) WITHOUT ROWID;

-- Passwords as scrypt hashes (see src/trust/passwords.ts for the parameters, kept with each hash).
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  password_hash TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  disabled_ms INTEGER
);

-- Keys made before roles existed had full access to the API: they keep it.
ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('viewer', 'operator', 'admin'));

-- One acknowledgement per alert, shared by every operator.
CREATE TABLE acknowledgements (
  alert_id INTEGER PRIMARY KEY REFERENCES alerts (id),
  by_name TEXT NOT NULL,
  by_kind TEXT NOT NULL CHECK (by_kind IN ('user', 'key', 'local')),
  time_ms INTEGER NOT NULL
);
`;

export function addTrust(db: Database): void {
  db.exec(V3_TRUST);
}
