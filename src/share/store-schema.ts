// The tables of partner sharing, in a file of their own beside the store (lindero.db → lindero.share.db):
// nothing in them needs to commit together with the store's records, and the store's schema stays its own.
// Outbound: what the policy let through, waiting for its delay (share_pending), then numbered per
// partner (share_outbox) and kept after the partner acknowledged it, as the record of what was shared.
// Inbound: every record a partner sent, once (share_inbox, keyed by the partner's sequence number),
// and the latest state of each partner unit (share_partner_units).
/** PRAGMA application_id of a sharing file: "LNDS" in ASCII. */
export const SHARE_APPLICATION_ID = 0x4c4e4453;
export const SHARE_SCHEMA_VERSION = 1;

export const SHARE_SCHEMA_SQL = `
CREATE TABLE share_links (
  partner TEXT PRIMARY KEY,
  -- next outbound sequence number to give, the highest the partner acknowledged, the highest received
  next_seq INTEGER NOT NULL,
  acked_seq INTEGER NOT NULL,
  received_seq INTEGER NOT NULL,
  -- the last store event (events.seq) the policy has looked at for this partner
  store_cursor INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE share_pending (
  id INTEGER PRIMARY KEY,
  partner TEXT NOT NULL,
  due_ms INTEGER NOT NULL,
  body_json TEXT NOT NULL
);
CREATE INDEX share_pending_due ON share_pending (partner, due_ms, id);

CREATE TABLE share_outbox (
  partner TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  body_json TEXT NOT NULL,
  PRIMARY KEY (partner, seq)
) WITHOUT ROWID;

-- Units whose last record to the partner was a position (a later fix beyond the policy's distance sends a leave).
CREATE TABLE share_shared_units (
  partner TEXT NOT NULL,
  unit TEXT NOT NULL,
  PRIMARY KEY (partner, unit)
) WITHOUT ROWID;

CREATE TABLE share_inbox (
  partner TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  unit TEXT,
  time_ms INTEGER,
  received_ms INTEGER NOT NULL,
  body_json TEXT NOT NULL,
  PRIMARY KEY (partner, seq)
) WITHOUT ROWID;

CREATE TABLE share_partner_units (
  partner TEXT NOT NULL,
  unit TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  gone INTEGER NOT NULL,
  first_time_ms INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  body_json TEXT NOT NULL,
  PRIMARY KEY (partner, unit)
) WITHOUT ROWID;

CREATE TABLE share_messages (
  id INTEGER PRIMARY KEY,
  partner TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
  seq INTEGER,
  template TEXT NOT NULL,
  params_json TEXT NOT NULL,
  text_en TEXT NOT NULL,
  text_es TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  delivered_ms INTEGER
);
CREATE INDEX share_messages_partner ON share_messages (partner, id);

-- Home/partner unit pairs in a proximity encounter: one alert per encounter, also across restarts.
CREATE TABLE share_encounters (
  partner TEXT NOT NULL,
  home_unit TEXT NOT NULL,
  partner_unit TEXT NOT NULL,
  PRIMARY KEY (partner, home_unit, partner_unit)
) WITHOUT ROWID;
`;
