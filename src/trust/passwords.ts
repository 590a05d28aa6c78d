// Operator passwords hashed with scrypt (RFC 7914) from node:crypto. The parameters are kept with each
// hash so that they can be raised later without locking anyone out. N = 2^15, r = 8, p = 1 costs about
// 32 MiB and 50–100 ms on this class of machine: slow for a guesser, once per sign-in for a person.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { LinderoError } from '../model/index.js';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;
export const MIN_PASSWORD_CHARS = 10;
export const MAX_PASSWORD_CHARS = 1024;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N: n, r, p, maxmem: MAX_MEMORY_BYTES }, (e, key) => (e ? reject(e) : resolve(key)));
  });
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_CHARS || password.length > MAX_PASSWORD_CHARS) {
    throw new LinderoError('usage', `a password must have ${MIN_PASSWORD_CHARS} to ${MAX_PASSWORD_CHARS} characters`, { field: 'password' });
  }
}

/** "scrypt$N$r$p$salt$hash" (salt and hash in base64url). */
export async function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether the password matches the stored hash; false for a hash this code cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt' || password.length > MAX_PASSWORD_CHARS) return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (![n, r, p].every((x) => Number.isSafeInteger(x) && x > 0) || n > 2 ** 20) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await derive(password, Buffer.from(parts[4], 'base64url'), n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
