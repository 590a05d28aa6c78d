// The server's evidence key: an Ed25519 key pair created on first start and kept beside the store,
// the private half readable by its owner only (mode 0600, as ssh insists for its keys).
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { LinderoError } from '../model/index.js';

export interface EvidenceKey {
  privateKey: KeyObject;
  /** SPKI PEM of the public key, as published and stored with each checkpoint. */
  publicKeyPem: string;
  /** Short fingerprint of the public key, to compare by eye or over the phone. */
  fingerprint: string;
  /** Files the key is kept in, or null for a key held in memory only. */
  privateFile: string | null;
  publicFile: string | null;
  /** True when this call created the key. */
  created: boolean;
}

/** Where the key of the store `dbFile` lives: `<db>.evidence-key.pem` and `<db>.evidence-key.pub.pem`. */
export function evidenceKeyFiles(dbFile: string): { privateFile: string; publicFile: string } {
  return { privateFile: `${dbFile}.evidence-key.pem`, publicFile: `${dbFile}.evidence-key.pub.pem` };
}

/** SHA-256 of the public key's DER (SPKI), first 128 bits in groups of four hex digits. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = publicKeyFromPem(publicKeyPem, 'public key').export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  return `SHA256:${hex.match(/.{4}/g)!.join(':')}`;
}

/** A public key from PEM text; only Ed25519 keys are accepted. */
export function publicKeyFromPem(pem: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new LinderoError('bad-key', `${what} is not a PEM public key (${e instanceof Error ? e.message : String(e)})`, { field: 'public_key' });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new LinderoError('bad-key', `${what} is a ${key.asymmetricKeyType ?? 'unknown'} key; evidence is signed with Ed25519`, { field: 'public_key' });
  }
  return key;
}

function describe(privateKey: KeyObject, files: { privateFile: string; publicFile: string } | null, created: boolean): EvidenceKey {
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKey, publicKeyPem, fingerprint: keyFingerprint(publicKeyPem),
    privateFile: files?.privateFile ?? null, publicFile: files?.publicFile ?? null, created,
  };
}

function readPrivateKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LinderoError('runtime-bad-key', `${file} is not a readable private key (${e instanceof Error ? e.message : String(e)})`, { file });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new LinderoError('runtime-bad-key', `${file} holds a ${key.asymmetricKeyType ?? 'unknown'} key; the evidence key is Ed25519`, { file });
  }
  return key;
}

/**
 * The key of the store `dbFile`, created (with both files) on first use. A private key file that others
 * can read is narrowed to 0600 again: a key anyone can read proves nothing. A store held in memory gets
 * a key in memory.
 */
export function loadOrCreateEvidenceKey(dbFile: string): EvidenceKey {
  if (dbFile === '' || dbFile === ':memory:') return describe(generateKeyPairSync('ed25519').privateKey, null, true);
  const files = evidenceKeyFiles(dbFile);
  if (existsSync(files.privateFile)) {
    if ((statSync(files.privateFile).mode & 0o077) !== 0) chmodSync(files.privateFile, 0o600);
    const key = describe(readPrivateKey(files.privateFile), files, false);
    if (!existsSync(files.publicFile)) writeFileSync(files.publicFile, key.publicKeyPem, { mode: 0o644 });
    return key;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    // 'wx': never overwrite a key another process created a moment ago; use that one instead.
    writeFileSync(files.privateFile, pem, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateEvidenceKey(dbFile);
    throw new LinderoError('runtime-key-not-written', `cannot write the evidence key ${files.privateFile}: ${(e as Error).message}`, { file: files.privateFile });
  }
  const key = describe(privateKey, files, true);
  writeFileSync(files.publicFile, key.publicKeyPem, { mode: 0o644 });
  return key;
}

/** The key of the store `dbFile` when its private file exists and is readable, else null (never creates one). */
export function existingEvidenceKey(dbFile: string): EvidenceKey | null {
  const files = evidenceKeyFiles(dbFile);
  if (!existsSync(files.privateFile)) return null;
  return describe(readPrivateKey(files.privateFile), files, false);
}

/** The public key published beside the store `dbFile`, or null. */
export function publishedPublicKey(dbFile: string): string | null {
  const { publicFile } = evidenceKeyFiles(dbFile);
  return existsSync(publicFile) ? readFileSync(publicFile, 'utf8') : null;
}
