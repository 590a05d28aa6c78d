// Enrolling a device: its units, a token for HTTP sources and a client certificate from the server's
// authority for CoT over TLS, all at once. The token is returned once (only its hash is stored); the
// certificate and its key are kept in the authority's directory (key 0600) for the device's data package.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LinderoError } from '../model/index.js';
import type { CertificateAuthority } from './authority.js';
import { DEVICE_NAME_PATTERN, newDeviceToken, type DeviceRow, type TrustStore } from './trust-db.js';

export interface EnrolledDevice {
  device: DeviceRow;
  /** Shown once. */
  token: string;
  certFile: string;
  keyFile: string;
}

/** Where a device's certificate and key are kept. */
export function deviceFiles(ca: CertificateAuthority, name: string): { certFile: string; keyFile: string } {
  if (!DEVICE_NAME_PATTERN.test(name)) throw new LinderoError('usage', `not a device name: ${JSON.stringify(name)}`, { field: 'name' });
  const dir = join(ca.dir, 'devices');
  return { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}-key.pem`) };
}

export async function enrolDevice(db: TrustStore, ca: CertificateAuthority, name: string, units: string[]): Promise<EnrolledDevice> {
  const token = newDeviceToken();
  const files = deviceFiles(ca, name);
  const issued = ca.issueDevice(name);
  const device = await db.addDevice({ name, units: units.length > 0 ? units : [name], token, certSerial: issued.serial, certSha256: issued.sha256 });
  mkdirSync(join(ca.dir, 'devices'), { recursive: true, mode: 0o700 });
  writeFileSync(files.keyFile, issued.keyPem, { mode: 0o600 });
  chmodSync(files.keyFile, 0o600);
  writeFileSync(files.certFile, issued.certPem);
  return { device, token, ...files };
}

/** A device's certificate and key as kept at enrolment. */
export function readDeviceFiles(ca: CertificateAuthority, name: string): { certPem: string; keyPem: string } {
  const { certFile, keyFile } = deviceFiles(ca, name);
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    throw new LinderoError('runtime-device-files', `the certificate of device ${JSON.stringify(name)} is not in ${join(ca.dir, 'devices')}`, { file: certFile });
  }
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}
