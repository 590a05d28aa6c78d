// The trust tables in a PostgreSQL store, shared by every node on the database: the same contract as
// the SQLite file's TrustDb. Each change runs in one of the store's write transactions with its chained
// policy record (the same actions and records as TrustDb writes), so it takes its place in the one
// evidence chain of every node, and bumps trust_version, which each node's registry polls.
import type { PgStore } from '../store/index.js';
import type { Role } from './roles.js';
import {
  checkNewDevice, checkUserName, deviceExists, hashToken, unknownAlert, unknownKey, userExists,
  type Acknowledgement, type DeviceRow, type NewDevice, type TrustStore, type UserRow,
} from './trust-db.js';

interface DeviceSqlRow { id: number; name: string; token_hash: Buffer; cert_serial: string; cert_sha256: string; created_ms: number; revoked_ms: number | null }
interface AckSqlRow { alert_id: number; by_name: string; by_kind: Acknowledgement['byKind']; time_ms: number }

const ACK = 'alert_id, by_name, by_kind, time_ms';
const ackOf = (r: AckSqlRow): Acknowledgement => ({ alertId: r.alert_id, byName: r.by_name, byKind: r.by_kind, timeMs: r.time_ms });

export class PgTrustDb implements TrustStore {
  readonly file: string;

  /** On an open store; closing this leaves the store open (its owner closes it). */
  constructor(private readonly store: PgStore, private readonly now: () => number = Date.now) {
    this.file = store.file;
  }

  async version(): Promise<number> {
    const [row] = await this.store.sideQuery<{ version: number }>('SELECT version FROM trust_version');
    return row.version;
  }

  /** The store's writes are checked as they come (a read-only server answers each with store-read-only). */
  checkWritable(): void {}

  async devices(): Promise<DeviceRow[]> {
    const [rows, units] = await Promise.all([
      this.store.sideQuery<DeviceSqlRow>('SELECT id, name, token_hash, cert_serial, cert_sha256, created_ms, revoked_ms FROM devices ORDER BY name'),
      this.store.sideQuery<{ device_id: number; unit: string }>('SELECT device_id, unit FROM device_units ORDER BY unit'),
    ]);
    const byDevice = new Map<number, string[]>();
    for (const u of units) {
      const list = byDevice.get(u.device_id) ?? [];
      list.push(u.unit);
      byDevice.set(u.device_id, list);
    }
    return rows.map((r) => ({
      id: r.id, name: r.name, units: byDevice.get(r.id) ?? [], tokenHash: r.token_hash, certSerial: r.cert_serial, certSha256: r.cert_sha256,
      createdMs: r.created_ms, revokedMs: r.revoked_ms,
    }));
  }

  async addDevice(device: NewDevice): Promise<DeviceRow> {
    checkNewDevice(device);
    return this.store.trustWrite(async (tx) => {
      if ((await tx.query('SELECT 1 FROM devices WHERE name = $1', [device.name])).rowCount) throw deviceExists(device.name);
      const createdMs = tx.nowMs;
      const tokenHash = hashToken(device.token);
      const { rows } = await tx.query<{ id: number }>(
        'INSERT INTO devices (name, token_hash, cert_serial, cert_sha256, created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [device.name, tokenHash, device.certSerial, device.certSha256, createdMs],
      );
      const id = rows[0].id;
      await tx.query('INSERT INTO device_units (device_id, unit) SELECT $1, u FROM unnest($2::text[]) AS u ON CONFLICT DO NOTHING', [id, device.units]);
      await tx.policy('device-added', { device: device.name, units: device.units, cert_serial: device.certSerial, cert_sha256: device.certSha256 });
      return { id, name: device.name, units: [...device.units], tokenHash, certSerial: device.certSerial, certSha256: device.certSha256, createdMs, revokedMs: null };
    });
  }

  revokeDevice(name: string, by: string): Promise<boolean> {
    return this.store.trustWrite(async (tx) => {
      const { rowCount } = await tx.query('UPDATE devices SET revoked_ms = $1 WHERE name = $2 AND revoked_ms IS NULL', [tx.nowMs, name]);
      if (!rowCount) return false;
      await tx.policy('device-revoked', { device: name, by });
      return true;
    });
  }

  async users(): Promise<UserRow[]> {
    const rows = await this.store.sideQuery<{ id: number; name: string; role: Role; password_hash: string; created_ms: number; disabled_ms: number | null }>(
      'SELECT id, name, role, password_hash, created_ms, disabled_ms FROM users ORDER BY name',
    );
    return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, passwordHash: r.password_hash, createdMs: r.created_ms, disabledMs: r.disabled_ms }));
  }

  async addUser(name: string, role: Role, passwordHash: string): Promise<void> {
    checkUserName(name);
    await this.store.trustWrite(async (tx) => {
      if ((await tx.query('SELECT 1 FROM users WHERE name = $1', [name])).rowCount) throw userExists(name);
      await tx.query('INSERT INTO users (name, role, password_hash, created_ms) VALUES ($1, $2, $3, $4)', [name, role, passwordHash, tx.nowMs]);
      await tx.policy('user-added', { user: name, role });
    });
  }

  async keyRoles(): Promise<Map<number, Role>> {
    const rows = await this.store.sideQuery<{ id: number; role: Role }>('SELECT id, role FROM api_keys');
    return new Map(rows.map((r) => [r.id, r.role]));
  }

  async setKeyRole(id: number, role: Role): Promise<void> {
    if (!Number.isSafeInteger(id)) throw unknownKey(id);
    await this.store.trustWrite(async (tx) => {
      if (!(await tx.query('UPDATE api_keys SET role = $1 WHERE id = $2', [role, id])).rowCount) throw unknownKey(id);
      await tx.policy('api-key-role', { key: id, role });
    });
  }

  async acknowledgement(alertId: number): Promise<Acknowledgement | null> {
    const [row] = await this.store.sideQuery<AckSqlRow>(`SELECT ${ACK} FROM acknowledgements WHERE alert_id = $1`, [alertId]);
    return row ? ackOf(row) : null;
  }

  async acknowledgements(fromAlertId = 0, limit = 10_000): Promise<Acknowledgement[]> {
    return (await this.store.sideQuery<AckSqlRow>(`SELECT ${ACK} FROM acknowledgements WHERE alert_id >= $1 ORDER BY alert_id LIMIT $2`, [fromAlertId, limit])).map(ackOf);
  }

  /** Records who acknowledged an alert (once, whichever node it came through; a second acknowledgement answers the first). */
  acknowledge(alertId: number, byName: string, byKind: Acknowledgement['byKind']): Promise<{ ack: Acknowledgement; created: boolean }> {
    return this.store.trustWrite(async (tx) => {
      if (!tx.alertExists(alertId)) throw unknownAlert(alertId);
      const { rows } = await tx.query<AckSqlRow>(`SELECT ${ACK} FROM acknowledgements WHERE alert_id = $1`, [alertId]);
      if (rows[0]) return { ack: ackOf(rows[0]), created: false };
      const ack: Acknowledgement = { alertId, byName, byKind, timeMs: tx.nowMs };
      await tx.query(`INSERT INTO acknowledgements (${ACK}) VALUES ($1, $2, $3, $4)`, [alertId, byName, byKind, ack.timeMs]);
      await tx.policy('alert-acknowledged', { alert: alertId, by: byName, by_kind: byKind });
      return { ack, created: true };
    });
  }

  /** Keeps a session (by the hash of its id) until expiresMs, for every node; expired ones are dropped. */
  async saveSession(idHash: string, name: string, expiresMs: number): Promise<void> {
    await this.store.sideQuery('DELETE FROM sessions WHERE expires_ms <= $1', [this.now()]);
    await this.store.sideQuery(
      'INSERT INTO sessions (id_hash, name, expires_ms) VALUES ($1, $2, $3) ON CONFLICT (id_hash) DO UPDATE SET name = excluded.name, expires_ms = excluded.expires_ms',
      [idHash, name, expiresMs],
    );
  }

  async session(idHash: string): Promise<{ name: string; expiresMs: number } | null> {
    const [row] = await this.store.sideQuery<{ name: string; expires_ms: number }>('SELECT name, expires_ms FROM sessions WHERE id_hash = $1', [idHash]);
    return row ? { name: row.name, expiresMs: row.expires_ms } : null;
  }

  async endSession(idHash: string): Promise<void> {
    await this.store.sideQuery('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  close(): void {}
}
