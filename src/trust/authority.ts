// The server's own certificate authority, made on first use beside the store (`<db>.ca/`, directory
// 0700, private keys 0600). It signs a client certificate for each device (CoT over TLS, mutual TLS)
// and the server's certificate. node:crypto makes the RSA keys and reads certificates but cannot issue
// them; node-forge (pure JavaScript) builds and signs the X.509 certificates and writes PKCS#12 files.
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';
import { LinderoError } from '../model/index.js';

const CA_YEARS = 10;
const DEVICE_YEARS = 2;
const SERVER_YEARS = 2;

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** Upper-case hex, as Node's TLS reports a peer certificate's serial number. */
  serial: string;
  sha256: string;
}

/** Where the authority of the store `dbFile` keeps its files. */
export function authorityDir(dbFile: string): string {
  return `${dbFile}.ca`;
}

function rsaKeyPair(): { privatePem: string; publicPem: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** A positive serial of 16 random bytes (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
function newSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;
  return bytes.toString('hex');
}

function yearsFromNow(years: number): { notBefore: Date; notAfter: Date } {
  // An hour back: a client whose clock is a little behind still accepts a new certificate.
  const notBefore = new Date(Date.now() - 3_600_000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  return { notBefore, notAfter };
}

function writePrivate(file: string, pem: string): void {
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

function described(cert: forge.pki.Certificate, keyPem: string): IssuedCertificate {
  const certPem = forge.pki.certificateToPem(cert);
  const x509 = new X509Certificate(certPem);
  return { certPem, keyPem, serial: x509.serialNumber.toUpperCase(), sha256: x509.fingerprint256 };
}

export class CertificateAuthority {
  private constructor(
    readonly dir: string,
    readonly certPem: string,
    private readonly cert: forge.pki.Certificate,
    private readonly key: forge.pki.rsa.PrivateKey,
  ) {}

  /** Opens the authority in `dir`, making it (key 0600) when it does not exist yet. */
  static open(dir: string): CertificateAuthority {
    const certFile = join(dir, 'ca.pem');
    const keyFile = join(dir, 'ca-key.pem');
    try {
      if (!existsSync(certFile)) CertificateAuthority.make(dir, certFile, keyFile);
      const certPem = readFileSync(certFile, 'utf8');
      const key = forge.pki.privateKeyFromPem(readFileSync(keyFile, 'utf8')) as forge.pki.rsa.PrivateKey;
      return new CertificateAuthority(dir, certPem, forge.pki.certificateFromPem(certPem), key);
    } catch (e) {
      if (e instanceof LinderoError) throw e;
      throw new LinderoError('runtime-authority', `cannot open the certificate authority in ${dir}: ${(e as Error).message}`, { file: dir });
    }
  }

  private static make(dir: string, certFile: string, keyFile: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const pair = rsaKeyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(pair.publicPem);
    cert.serialNumber = newSerialHex();
    Object.assign(cert.validity, yearsFromNow(CA_YEARS));
    const subject = [{ name: 'commonName', value: `lindero CA ${randomBytes(4).toString('hex')}` }, { name: 'organizationName', value: 'lindero' }];
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(forge.pki.privateKeyFromPem(pair.privatePem), forge.md.sha256.create());
    writePrivate(keyFile, pair.privatePem);
    writeFileSync(certFile, forge.pki.certificateToPem(cert), { flag: 'wx' });
  }

  private issue(commonName: string, years: number, extensions: object[]): IssuedCertificate {
    const pair = rsaKeyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(pair.publicPem);
    cert.serialNumber = newSerialHex();
    Object.assign(cert.validity, yearsFromNow(years));
    cert.setSubject([{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'lindero' }]);
    cert.setIssuer(this.cert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: this.cert.generateSubjectKeyIdentifier().getBytes() },
      ...extensions,
    ]);
    cert.sign(this.key, forge.md.sha256.create());
    return described(cert, pair.privatePem);
  }

  /** A client certificate for a device (its common name is the device's name). */
  issueDevice(name: string): IssuedCertificate {
    return this.issue(name, DEVICE_YEARS, [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ]);
  }

  /**
   * The server's certificate for these host names and addresses, kept in the authority's directory
   * and made again when a name is missing from it or it expires within 30 days.
   */
  serverCertificate(hosts: string[]): { certPem: string; keyPem: string } {
    const certFile = join(this.dir, 'server.pem');
    const keyFile = join(this.dir, 'server-key.pem');
    const names = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts.filter((h) => h !== '0.0.0.0' && h !== '::')])];
    if (existsSync(certFile) && existsSync(keyFile)) {
      const certPem = readFileSync(certFile, 'utf8');
      const x509 = new X509Certificate(certPem);
      const soon = Date.now() + 30 * 86_400_000;
      const covered = names.every((h) => (isIP(h) ? x509.checkIP(h) : x509.checkHost(h)) !== undefined);
      if (covered && new Date(x509.validTo).getTime() > soon && x509.checkIssued(new X509Certificate(this.certPem))) {
        return { certPem, keyPem: readFileSync(keyFile, 'utf8') };
      }
    }
    const altNames = names.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }));
    const issued = this.issue(names[0], SERVER_YEARS, [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ]);
    writeFileSync(keyFile, issued.keyPem, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    writeFileSync(certFile, issued.certPem);
    return issued;
  }
}

/**
 * A PKCS#12 file holding the key and certificate chain (or, without a key, the certificates alone as a
 * truststore), protected by `password`. Triple-DES with SHA-1 MAC, the PKCS#12 profile Android's and
 * Windows' key stores read everywhere (OpenSSL 3's AES default is refused by older TAK clients).
 */
export function pkcs12(password: string, certPems: string[], keyPem: string | null, friendlyName: string): Buffer {
  const certs = certPems.map((pem) => forge.pki.certificateFromPem(pem));
  const key = keyPem === null ? null : forge.pki.privateKeyFromPem(keyPem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', friendlyName, generateLocalKeyId: true });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
