// The trust tables (devices and their units, operators, API key roles, acknowledgements, sessions) and
// the contract they are used through (TrustStore); here, the SQLite store's, read and written on a
// connection of their own to the store's file (PostgreSQL's: pg-trust-db.ts). Each change is written
// together with its chained policy record in one transaction, so the evidence says who was let in, and when.
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { LinderoError } from '../model/index.js';
import { ChainWriter, openDatabase, PolicyWriter } from '../store/index.js';
import { type Role } from './roles.js';

/** A device token: "lndd_" and 32 random bytes in base64url; only its SHA-256 is stored (see store/keys.ts for why fast). */
export const DEVICE_TOKEN_PATTERN = /^lndd_[A-Za-z0-9_-]{43}$/;
export const DEVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_UNITS_PER_DEVICE = 256;

export function newDeviceToken(): string {
  return 'lndd_' + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export interface DeviceRow {
  id: number;
  name: string;
  units: string[];
  tokenHash: Buffer;
  certSerial: string;
  certSha256: string;
  createdMs: number;
  revokedMs: number | null;
}

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  passwordHash: string;
  createdMs: number;
  disabledMs: number | null;
}

export interface NewDevice {
  name: string;
  units: string[];
  token: string;
  certSerial: string;
  certSha256: string;
}

export interface Acknowledgement {
  alertId: number;
  byName: string;
  byKind: 'user' | 'key' | 'local';
  timeMs: number;
}

type Awaitable<T> = T | Promise<T>;

/**
 * What the registry, the CLI and the routes read and write, in a SQLite file (TrustDb, synchronous) or
 * in PostgreSQL (PgTrustDb, shared by every node): callers await every answer. Every change is written
 * with its chained policy record in one transaction.
 */
export interface TrustStore {
  /** The local path the certificate authority's directory is named after (authorityDir). */
  readonly file: string;
  /** Changes whenever the trust tables may have changed (another process or node too). */
  version(): Awaitable<number>;
  checkWritable(): Awaitable<void>;
  devices(): Awaitable<DeviceRow[]>;
  addDevice(device: NewDevice): Awaitable<DeviceRow>;
  revokeDevice(name: string, by: string): Awaitable<boolean>;
  users(): Awaitable<UserRow[]>;
  addUser(name: string, role: Role, passwordHash: string): Awaitable<void>;
  keyRoles(): Awaitable<Map<number, Role>>;
  setKeyRole(id: number, role: Role): Awaitable<void>;
  acknowledgement(alertId: number): Awaitable<Acknowledgement | null>;
  acknowledgements(fromAlertId?: number, limit?: number): Awaitable<Acknowledgement[]>;
  acknowledge(alertId: number, byName: string, byKind: Acknowledgement['byKind']): Awaitable<{ ack: Acknowledgement; created: boolean }>;
  saveSession(idHash: string, name: string, expiresMs: number): Awaitable<void>;
  session(idHash: string): Awaitable<{ name: string; expiresMs: number } | null>;
  endSession(idHash: string): Awaitable<void>;
  close(): Awaitable<void>;
}

/** Refuses a device that may not be enrolled as given (before any write). */
export function checkNewDevice(device: NewDevice): void {
  if (!DEVICE_NAME_PATTERN.test(device.name)) {
    throw new LinderoError('usage', `a device name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, not ${JSON.stringify(device.name)}`, { field: 'name' });
  }
  if (device.units.length === 0 || device.units.length > MAX_UNITS_PER_DEVICE) {
    throw new LinderoError('usage', `a device reports 1 to ${MAX_UNITS_PER_DEVICE} units`, { field: 'unit' });
  }
  for (const unit of device.units) {
    if (unit.length === 0 || unit.length > 200 || /[\x00-\x1f\x7f]/.test(unit)) throw new LinderoError('usage', `a unit id is 1 to 200 printable characters, not ${JSON.stringify(unit)}`, { field: 'unit' });
  }
}

export function deviceExists(name: string): LinderoError {
  return new LinderoError('device-exists', `a device named ${JSON.stringify(name)} already exists (revoked devices keep their name)`, { field: 'name' });
}

/** Refuses a user name that may not be an account's. */
export function checkUserName(name: string): void {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u.test(name)) {
    throw new LinderoError('usage', `a user name is 1 to 64 letters, digits, '.', '_', '@' or '-', not ${JSON.stringify(name)}`, { field: 'name' });
  }
}

export function userExists(name: string): LinderoError {
  return new LinderoError('user-exists', `a user named ${JSON.stringify(name)} already exists`, { field: 'name' });
}

export function unknownKey(id: number): LinderoError {
  return new LinderoError('unknown-key', `there is no key with id ${id}`, { field: 'id' });
}

export function unknownAlert(id: number): LinderoError {
  return new LinderoError('unknown-alert', `there is no alert ${id}`, { field: 'alert' });
}

class RolledBack extends Error {}

export class TrustDb implements TrustStore {
  private readonly chain: ChainWriter;
  private readonly policy: PolicyWriter;
  private readonly dataVersion: Statement;
  private readonly statements: Record<string, Statement>;

  private constructor(readonly db: Database, readonly file: string, private readonly now: () => number) {
    this.chain = new ChainWriter(db);
    this.policy = new PolicyWriter(db, this.chain);
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.statements = {
      devices: db.prepare('SELECT id, name, token_hash AS tokenHash, cert_serial AS certSerial, cert_sha256 AS certSha256, created_ms AS createdMs, revoked_ms AS revokedMs FROM devices ORDER BY name'),
      units: db.prepare('SELECT device_id AS deviceId, unit FROM device_units ORDER BY unit'),
      insertDevice: db.prepare('INSERT INTO devices (name, token_hash, cert_serial, cert_sha256, created_ms) VALUES (?, ?, ?, ?, ?)'),
      insertUnit: db.prepare('INSERT OR IGNORE INTO device_units (device_id, unit) VALUES (?, ?)'),
      revokeDevice: db.prepare('UPDATE devices SET revoked_ms = ? WHERE name = ? AND revoked_ms IS NULL'),
      deviceByName: db.prepare('SELECT id FROM devices WHERE name = ?').pluck(),
      users: db.prepare('SELECT id, name, role, password_hash AS passwordHash, created_ms AS createdMs, disabled_ms AS disabledMs FROM users ORDER BY name'),
      insertUser: db.prepare('INSERT INTO users (name, role, password_hash, created_ms) VALUES (?, ?, ?, ?)'),
      keyRoles: db.prepare('SELECT id, role FROM api_keys'),
      setKeyRole: db.prepare('UPDATE api_keys SET role = ? WHERE id = ?'),
      ack: db.prepare('SELECT alert_id AS alertId, by_name AS byName, by_kind AS byKind, time_ms AS timeMs FROM acknowledgements WHERE alert_id = ?'),
      acks: db.prepare('SELECT alert_id AS alertId, by_name AS byName, by_kind AS byKind, time_ms AS timeMs FROM acknowledgements WHERE alert_id >= ? ORDER BY alert_id LIMIT ?'),
      insertAck: db.prepare('INSERT INTO acknowledgements (alert_id, by_name, by_kind, time_ms) VALUES (?, ?, ?, ?)'),
      alertExists: db.prepare('SELECT 1 FROM alerts WHERE id = ?').pluck(),
      insertSession: db.prepare('INSERT OR REPLACE INTO sessions (id_hash, name, expires_ms) VALUES (?, ?, ?)'),
      session: db.prepare('SELECT name, expires_ms AS expiresMs FROM sessions WHERE id_hash = ?'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
      pruneSessions: db.prepare('DELETE FROM sessions WHERE expires_ms <= ?'),
    };
  }

  static open(file: string, now: () => number = Date.now): TrustDb {
    return new TrustDb(openDatabase(file), file, now);
  }

  /**
   * Proves the file can be written (a write rolled back): a store the server cannot write would take
   * no fix at all while looking healthy.
   */
  checkWritable(): void {
    try {
      this.db.transaction(() => {
        this.db.exec('CREATE TABLE write_probe (x); DROP TABLE write_probe');
        throw new RolledBack();
      }).immediate();
    } catch (e) {
      if (e instanceof RolledBack) return;
      throw new LinderoError('store-read-only', `${this.file} cannot be written (${(e as Error).message}): check the file's and its directory's permissions and the free space`, { file: this.file });
    }
  }

  /** Changes whenever any connection (another process too) commits to the file. */
  version(): number {
    return this.dataVersion.get() as number;
  }

  /** One write transaction; the chain's cached head is dropped first, as other connections write too. */
  private write<T>(work: () => T): T {
    this.chain.forget();
    try {
      return this.db.transaction(() => {
        const result = work();
        this.chain.seal();
        return result;
      }).immediate();
    } catch (e) {
      this.chain.forget();
      throw e;
    }
  }

  /** Keeps a session (by the hash of its id) until expiresMs; expired ones are dropped. */
  saveSession(idHash: string, name: string, expiresMs: number): void {
    this.statements.pruneSessions.run(this.now());
    this.statements.insertSession.run(idHash, name, expiresMs);
  }

  /** The session with this id hash, if it is kept (expired or not: the caller decides). */
  session(idHash: string): { name: string; expiresMs: number } | null {
    return (this.statements.session.get(idHash) as { name: string; expiresMs: number } | undefined) ?? null;
  }

  endSession(idHash: string): void {
    this.statements.deleteSession.run(idHash);
  }

  devices(): DeviceRow[] {
    const rows = this.statements.devices.all() as Omit<DeviceRow, 'units'>[];
    const units = new Map<number, string[]>();
    for (const u of this.statements.units.all() as { deviceId: number; unit: string }[]) {
      const list = units.get(u.deviceId) ?? [];
      list.push(u.unit);
      units.set(u.deviceId, list);
    }
    return rows.map((r) => ({ ...r, units: units.get(r.id) ?? [] }));
  }

  addDevice(device: NewDevice): DeviceRow {
    checkNewDevice(device);
    return this.write(() => {
      if (this.statements.deviceByName.get(device.name) !== undefined) throw deviceExists(device.name);
      const createdMs = this.now();
      const id = Number(this.statements.insertDevice.run(device.name, hashToken(device.token), device.certSerial, device.certSha256, createdMs).lastInsertRowid);
      for (const unit of device.units) this.statements.insertUnit.run(id, unit);
      this.policy.append('device-added', { device: device.name, units: device.units, cert_serial: device.certSerial, cert_sha256: device.certSha256 }, createdMs);
      return { id, name: device.name, units: [...device.units], tokenHash: hashToken(device.token), certSerial: device.certSerial, certSha256: device.certSha256, createdMs, revokedMs: null };
    });
  }

  /** Revokes a device's token and certificate; false when there is no valid device of that name. */
  revokeDevice(name: string, by: string): boolean {
    return this.write(() => {
      const timeMs = this.now();
      if (this.statements.revokeDevice.run(timeMs, name).changes === 0) return false;
      this.policy.append('device-revoked', { device: name, by }, timeMs);
      return true;
    });
  }

  users(): UserRow[] {
    return this.statements.users.all() as UserRow[];
  }

  addUser(name: string, role: Role, passwordHash: string): void {
    checkUserName(name);
    this.write(() => {
      if (this.users().some((u) => u.name === name)) throw userExists(name);
      const createdMs = this.now();
      this.statements.insertUser.run(name, role, passwordHash, createdMs);
      this.policy.append('user-added', { user: name, role }, createdMs);
    });
  }

  /** API key id → role. */
  keyRoles(): Map<number, Role> {
    return new Map((this.statements.keyRoles.all() as { id: number; role: Role }[]).map((r) => [r.id, r.role]));
  }

  setKeyRole(id: number, role: Role): void {
    this.write(() => {
      if (this.statements.setKeyRole.run(role, id).changes === 0) throw unknownKey(id);
      this.policy.append('api-key-role', { key: id, role }, this.now());
    });
  }

  acknowledgement(alertId: number): Acknowledgement | null {
    return (this.statements.ack.get(alertId) as Acknowledgement | undefined) ?? null;
  }

  acknowledgements(fromAlertId = 0, limit = 10_000): Acknowledgement[] {
    return this.statements.acks.all(fromAlertId, limit) as Acknowledgement[];
  }

  /** Records who acknowledged an alert (once; a second acknowledgement answers the first). */
  acknowledge(alertId: number, byName: string, byKind: Acknowledgement['byKind']): { ack: Acknowledgement; created: boolean } {
    return this.write(() => {
      if (this.statements.alertExists.get(alertId) === undefined) throw unknownAlert(alertId);
      const existing = this.acknowledgement(alertId);
      if (existing) return { ack: existing, created: false };
      const ack = { alertId, byName, byKind, timeMs: this.now() };
      this.statements.insertAck.run(alertId, byName, byKind, ack.timeMs);
      this.policy.append('alert-acknowledged', { alert: alertId, by: byName, by_kind: byKind }, ack.timeMs);
      return { ack, created: true };
    });
  }

  close(): void {
    this.db.close();
  }
}
