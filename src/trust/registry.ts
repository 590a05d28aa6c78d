// What the live server knows of who may report and read: a snapshot of the trust tables, kept in
// memory so that checking a credential costs a map lookup, and read again whenever the file changed
// (PRAGMA data_version, polled each second), so that `lindero device revoke` in another process
// cuts a device off within about a second, open connections included.
import { LinderoError } from '../model/index.js';
import { authorityDir, CertificateAuthority } from './authority.js';
import type { Role } from './roles.js';
import { DEVICE_TOKEN_PATTERN, hashToken, TrustDb, type DeviceRow, type UserRow } from './trust-db.js';

/** A device as a credential: what it may report. */
export interface DeviceCredential {
  name: string;
  units: ReadonlySet<string>;
  certSerial: string;
}

export type RevokedListener = (device: DeviceCredential) => void;

export class TrustRegistry {
  private byToken = new Map<string, DeviceCredential>();
  private bySerial = new Map<string, DeviceCredential>();
  private usersByName = new Map<string, UserRow>();
  private roles = new Map<number, Role>();
  private seenVersion: number | null = null;
  private readonly revokedListeners = new Set<RevokedListener>();
  private readonly timer: NodeJS.Timeout;
  private ca: CertificateAuthority | null = null;

  private constructor(readonly db: TrustDb, pollMs: number) {
    this.refresh(true);
    this.timer = setInterval(() => this.refresh(false), pollMs);
    this.timer.unref();
  }

  static open(dbFile: string, options: { pollMs?: number } = {}): TrustRegistry {
    return new TrustRegistry(TrustDb.open(dbFile), options.pollMs ?? 1000);
  }

  /** The server's certificate authority (made on first use). */
  authority(): CertificateAuthority {
    this.ca ??= CertificateAuthority.open(authorityDir(this.db.file));
    return this.ca;
  }

  /** Reads the tables again if any connection wrote since (or when forced); tells who was revoked. */
  refresh(force: boolean): void {
    const version = this.db.version();
    if (!force && version === this.seenVersion) return;
    this.seenVersion = version;
    const before = this.bySerial;
    const byToken = new Map<string, DeviceCredential>();
    const bySerial = new Map<string, DeviceCredential>();
    for (const row of this.db.devices()) {
      if (row.revokedMs !== null) continue;
      const credential = credentialOf(row);
      byToken.set(row.tokenHash.toString('hex'), credential);
      bySerial.set(row.certSerial, credential);
    }
    this.byToken = byToken;
    this.bySerial = bySerial;
    this.usersByName = new Map(this.db.users().filter((u) => u.disabledMs === null).map((u) => [u.name, u]));
    this.roles = this.db.keyRoles();
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

  user(name: string): UserRow | null {
    // An account made since the last look (by `lindero user add` in another process): look again now.
    if (!this.usersByName.has(name)) this.refresh(true);
    return this.usersByName.get(name) ?? null;
  }

  /** The role of an API key; keys made before roles existed are admins (they had the whole API; schema step 3). */
  keyRole(id: number): Role {
    // A key made since the last look (by `lindero key create` in another process): look again now.
    if (!this.roles.has(id)) this.refresh(true);
    return this.roles.get(id) ?? 'viewer';
  }

  /** Calls `listener` with each device revoked from now on; returns the way to stop. */
  onRevoked(listener: RevokedListener): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Revokes a device (from the server itself) and cuts it off at once. */
  revokeDevice(name: string, by: string): boolean {
    const revoked = this.db.revokeDevice(name, by);
    this.refresh(true);
    return revoked;
  }

  close(): void {
    clearInterval(this.timer);
    this.revokedListeners.clear();
    this.db.close();
  }
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
