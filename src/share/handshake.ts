// The link's authentication: a challenge-response over the shared secret (HMAC-SHA-256, RFC 2104) in
// which each side proves it knows the secret without sending it, then per-direction session keys
// that sign every later frame together with its position in the session, so a frame cannot be
// forged, altered, replayed or reordered by anyone without the secret.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const LINK_PROTOCOL = 'lindero-link/1';

export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

export interface HandshakeParties {
  /** Organisation that dialled (client) and the one that answered (server). */
  clientOrg: string;
  serverOrg: string;
  clientNonce: string;
  serverNonce: string;
}

function transcript(role: 'client' | 'server', p: HandshakeParties): string {
  // Both nonces and both names: a proof is bound to this connection and to who is talking to whom.
  return [LINK_PROTOCOL, role, p.serverNonce, p.clientNonce, p.clientOrg, p.serverOrg].join('\n');
}

export function proof(secret: string, role: 'client' | 'server', parties: HandshakeParties): string {
  return hmac(secret, transcript(role, parties)).toString('base64url');
}

export function proofMatches(secret: string, role: 'client' | 'server', parties: HandshakeParties, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 100) return false;
  const expected = hmac(secret, transcript(role, parties));
  const actual = Buffer.from(given, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export interface SessionKeys {
  /** Signs frames this side sends, and checks frames it receives. */
  send: Buffer;
  receive: Buffer;
}

export function sessionKeys(secret: string, parties: HandshakeParties, role: 'client' | 'server'): SessionKeys {
  const base = [LINK_PROTOCOL, parties.serverNonce, parties.clientNonce].join('\n');
  const clientToServer = hmac(secret, `${base}\nclient-to-server`);
  const serverToClient = hmac(secret, `${base}\nserver-to-client`);
  return role === 'client' ? { send: clientToServer, receive: serverToClient } : { send: serverToClient, receive: clientToServer };
}

/** A frame on the wire: "<mac> <json>", the MAC over the frame's number in this direction and its JSON. */
export function signFrame(key: Buffer, counter: number, json: string): string {
  return `${hmac(key, `${counter}\n${json}`).toString('base64url')} ${json}`;
}

/** The JSON of a signed frame, or null when its MAC does not match this position in the session. */
export function openFrame(key: Buffer, counter: number, text: string): string | null {
  const space = text.indexOf(' ');
  if (space !== 43) return null; // 32 bytes in base64url without padding
  const json = text.slice(space + 1);
  const expected = hmac(key, `${counter}\n${json}`);
  const given = Buffer.from(text.slice(0, space), 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? json : null;
}

/** WebSocket close codes in the private range (RFC 6455 §7.4.2). */
export const CLOSE = { protocol: 4400, auth: 4401, duplicate: 4409, shutdown: 1001, internal: 1011, elsewhere: 4503 } as const;
