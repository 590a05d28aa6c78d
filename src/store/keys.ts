import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'lnd_';
const KEY_BYTES = 32;
const KEY_PATTERN = /^lnd_[A-Za-z0-9_-]{43}$/;

/**
 * A new API key: "lnd_" and 32 random bytes in base64url (RFC 4648 §5). The prefix lets a leaked key
 * be recognised by secret scanners and tells it from other credentials.
 */
export function newApiKey(): string {
  return PREFIX + randomBytes(KEY_BYTES).toString('base64url');
}

/** Whether a string has the shape of a key this store issues (the shape is not secret). */
export function isWellFormedApiKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}

/**
 * SHA-256 of the key. A slow hash (scrypt, argon2) makes guessing low-entropy passwords costly; these keys
 * carry 256 random bits, so guessing is infeasible at any hash speed and a fast hash keeps each request cheap.
 */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Constant-time comparison of two hashes. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
