// What the live server knows of who may report and read: a snapshot of the trust tables, kept in
// memory so that checking a credential costs a map lookup, and read again whenever the tables changed
// (SQLite's PRAGMA data_version, PostgreSQL's trust_version row, polled each second), so that `lindero
// device revoke` in another process, or on another node sharing the PostgreSQL database, cuts a device
// off within about a second, open connections included.
import { LinderoError } from '../model/index.js';
import { authorityDir, CertificateAuthority } from './authority.js';
import type { Role } from './roles.js';
import { PgStore, type Store } from '../store/index.js';
import { PgTrustDb } from './pg-trust-db.js';
import { DEVICE_TOKEN_PATTERN, hashToken, TrustDb, type DeviceRow, type TrustStore, type UserRow } from './trust-db.js';

/** A device as a credential: what it may report. */
export interface DeviceCredential {
  name: string;
  units: ReadonlySet<string>;
  certSerial: string;
}

export type RevokedListener = (device: DeviceCredential) => void;

export interface RegistryOptions {
  /** How often to look whether the trust tables changed. Default 1000 ms. */
  pollMs?: number;
  /** A look that failed (the database unreachable): the last snapshot stays in use. */
  onError?: (e: unknown) => void;
}

export class TrustRegistry {
  private byToken = new Map<string, DeviceCredential>();
  private bySerial = new Map<string, DeviceCredential>();
  private usersByName = new Map<string, UserRow>();
  private roles = new Map<number, Role>();
  private seenVersion: number | null = null;
  private readonly revokedListeners = new Set<RevokedListener>();
  private readonly timer: NodeJS.Timeout;
  private ca: CertificateAuthority | null = null;
  /** Looks run one after another, so each compares with the one before. */
  private looking: Promise<void> = Promise.resolve();

  private constructor(readonly db: TrustStore, options: RegistryOptions) {
    const onError = options.onError ?? (() => {});
    // A database out of reach is told once, not each second, until a look succeeds again.
    let failing = false;
    this.timer = setInterval(() => {
      this.refresh(false).then(() => { failing = false; }, (e: unknown) => {
        if (!failing) onError(e);
        failing = true;
      });
    }, options.pollMs ?? 1000);
    this.timer.unref();
  }

  /** The registry of the trust tables in `db`, read once before it resolves. */
  static async of(db: TrustStore, options: RegistryOptions = {}): Promise<TrustRegistry> {
    const registry = new TrustRegistry(db, options);
    try {
      await registry.refresh(true);
    } catch (e) {
      await registry.close();
      throw e;
    }
    return registry;
  }

  /** The registry of a SQLite store's file (a connection of its own). */
  static open(dbFile: string, options: RegistryOptions = {}): Promise<TrustRegistry> {
    return TrustRegistry.of(TrustDb.open(dbFile), options);
  }

  /** The trust tables of `store`: in PostgreSQL for a PostgreSQL store (shared by its nodes), else in its file. */
  static forStore(store: Store, options: RegistryOptions = {}): Promise<TrustRegistry> {
    return TrustRegistry.of(openTrustStore(store), options);
  }

  /** The server's certificate authority (made on first use). */
  authority(): CertificateAuthority {
    this.ca ??= CertificateAuthority.open(authorityDir(this.db.file));
    return this.ca;
  }

  /** Reads the tables again if anyone wrote since (or when forced); tells who was revoked. */
  refresh(force: boolean): Promise<void> {
    const look = this.looking.then(() => this.look(force));
    this.looking = look.catch(() => undefined);
    return look;
  }

  private async look(force: boolean): Promise<void> {
    const version = await this.db.version();
    if (!force && version === this.seenVersion) return;
    const [devices, users, roles] = await Promise.all([this.db.devices(), this.db.users(), this.db.keyRoles()]);
    this.seenVersion = version;
    const before = this.bySerial;
    const byToken = new Map<string, DeviceCredential>();
    const bySerial = new Map<string, DeviceCredential>();
    for (const row of devices) {
      if (row.revokedMs !== null) continue;
      const credential = credentialOf(row);
      byToken.set(row.tokenHash.toString('hex'), credential);
      bySerial.set(row.certSerial, credential);
    }
    this.byToken = byToken;
    this.bySerial = bySerial;
    this.usersByName = new Map(users.filter((u) => u.disabledMs === null).map((u) => [u.name, u]));
    this.roles = roles;
    for (const [serial, device] of before) {
      if (bySerial.has(serial)) continue;
      for (const listener of this.revokedListeners) listener(device);
    }
  }

  /** The valid device with this token, or null (unknown, revoked or malformed). */
  deviceByToken(token: string): DeviceCredential | null {
    if (!DEVICE_TOKEN_PATTERN.test(token)) return null;
    return this.byToken.get(hashToken(token).toString('hex')) ?? null;
  }

  /** The valid device whose certificate has this serial (upper-case hex), or null. */
  deviceBySerial(serial: string): DeviceCredential | null {
    return this.bySerial.get(serial.toUpperCase()) ?? null;
  }

  async user(name: string): Promise<UserRow | null> {
    // An account made since the last look (by `lindero user add` in another process or node): look again now.
    if (!this.usersByName.has(name)) await this.refresh(true);
    return this.usersByName.get(name) ?? null;
  }

  /** The role of an API key; keys made before roles existed are admins (they had the whole API; schema step 3). */
  async keyRole(id: number): Promise<Role> {
    // A key made since the last look (by `lindero key create` in another process or node): look again now.
    if (!this.roles.has(id)) await this.refresh(true);
    return this.roles.get(id) ?? 'viewer';
  }

  /** Calls `listener` with each device revoked from now on; returns the way to stop. */
  onRevoked(listener: RevokedListener): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Revokes a device (from the server itself) and cuts it off at once. */
  async revokeDevice(name: string, by: string): Promise<boolean> {
    const revoked = await this.db.revokeDevice(name, by);
    await this.refresh(true);
    return revoked;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.revokedListeners.clear();
    await this.looking;
    await this.db.close();
  }
}

/** The trust tables of `store`: PostgreSQL's for a PostgreSQL store, else a connection of their own to its file. */
export function openTrustStore(store: Store): TrustStore {
  return store instanceof PgStore ? new PgTrustDb(store) : TrustDb.open(store.file);
}

function credentialOf(row: DeviceRow): DeviceCredential {
  return { name: row.name, units: new Set(row.units), certSerial: row.certSerial };
}

/** Whether a device credential may report `unit`. */
export function mayReport(device: DeviceCredential, unit: string): boolean {
  return device.units.has(unit);
}

export function unknownDevice(name: string): LinderoError {
  return new LinderoError('unknown-device', `there is no valid device named ${JSON.stringify(name)}`, { field: 'name' });
}
