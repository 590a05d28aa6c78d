import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CertificateAuthority, enrolDevice, hashPassword, roleAtLeast, TrustDb, TrustRegistry, verifyPassword } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'lindero-trust-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a password verifies against its scrypt hash and no other; the hash names its parameters', async () => {
  const hash = await hashPassword('correct horse battery');
  assert.match(hash, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterY', hash), false);
  assert.equal(await verifyPassword('correct horse battery', 'not a hash'), false);
  await assert.rejects(hashPassword('short'), /10 to 1024 characters/);
});

test('roles are ordered viewer < operator < admin', () => {
  assert.equal(roleAtLeast('admin', 'operator'), true);
  assert.equal(roleAtLeast('operator', 'operator'), true);
  assert.equal(roleAtLeast('viewer', 'operator'), false);
});

test('the authority is made once with its key 0600, and signs device certificates for client authentication', () => {
  const caDir = join(dir, 'ca');
  const ca = CertificateAuthority.open(caDir);
  assert.equal(statSync(join(caDir, 'ca-key.pem')).mode & 0o777, 0o600);
  assert.equal(statSync(caDir).mode & 0o777, 0o700);
  assert.equal(CertificateAuthority.open(caDir).certPem, ca.certPem, 'opened again, not made again');
  const device = ca.issueDevice('patrol-7');
  const cert = new X509Certificate(device.certPem);
  assert.equal(cert.checkIssued(new X509Certificate(ca.certPem)), true);
  assert.equal(cert.verify(new X509Certificate(ca.certPem).publicKey), true);
  assert.match(cert.subject, /CN=patrol-7/);
  assert.match(cert.keyUsage?.join(',') ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.2/, 'extended key usage: TLS client');
  assert.equal(device.serial, cert.serialNumber.toUpperCase());
  const server = ca.serverCertificate(['lindero.example.org', '192.0.2.7']);
  const serverCert = new X509Certificate(server.certPem);
  assert.equal(serverCert.checkHost('lindero.example.org'), 'lindero.example.org');
  assert.equal(serverCert.checkIP('192.0.2.7'), '192.0.2.7');
  assert.equal(ca.serverCertificate(['lindero.example.org']).certPem, server.certPem, 'kept while it covers the names');
});

test('a device enrolled by one connection is known to the registry of another; revoking it tells the registry', async () => {
  const db = join(dir, 'trust.db');
  const writer = TrustDb.open(db);
  const registry = await TrustRegistry.open(db, { pollMs: 60_000 });
  try {
    const ca = CertificateAuthority.open(join(dir, 'trust.db.ca'));
    const enrolled = await enrolDevice(writer, ca, 'alpha', ['ALPHA-1']);
    assert.equal(registry.deviceByToken(enrolled.token), null, 'not seen before the registry looks again');
    await registry.refresh(false);
    assert.deepEqual([...registry.deviceByToken(enrolled.token)!.units], ['ALPHA-1']);
    assert.equal(registry.deviceBySerial(enrolled.device.certSerial)?.name, 'alpha');
    const revoked: string[] = [];
    registry.onRevoked((d) => revoked.push(d.name));
    assert.equal(writer.revokeDevice('alpha', 'test'), true);
    assert.equal(writer.revokeDevice('alpha', 'test'), false, 'revoked once');
    await registry.refresh(false);
    assert.deepEqual(revoked, ['alpha']);
    assert.equal(registry.deviceByToken(enrolled.token), null);
    await assert.rejects(enrolDevice(writer, ca, 'alpha', []), /already exists/);
    await assert.rejects(enrolDevice(writer, ca, '../etc', []), /device name/);
  } finally {
    await registry.close();
    writer.close();
  }
});
