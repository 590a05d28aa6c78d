// Who is asking. Beyond loopback every /api/v1 request carries a credential:
//   - an API key, `Authorization: Bearer lnd_…` (RFC 6750 §2.1), with a role;
//   - an operator's session cookie (see sessions.ts), with the operator's role;
//   - a device token, `Authorization: Bearer lndd_…`, good only for POST /api/v1/fixes and the
//     device's own units.
// On loopback a request without one acts for the machine's owner, as an admin (a device token that
// comes anyway is still checked). The stream takes no credential from its URL: browsers send the
// session cookie with the WebSocket upgrade, other clients the Authorization header.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import { roleAtLeast, type DeviceCredential, type Role, type TrustRegistry } from '../trust/index.js';
import { HttpError } from './http-errors.js';
import type { Sessions } from './sessions.js';

export type Principal =
  | { kind: 'local'; name: 'local'; role: 'admin' }
  | { kind: 'key'; id: number; name: string; role: Role }
  | { kind: 'user'; name: string; role: Role }
  | { kind: 'device'; name: string; device: DeviceCredential };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface AuthOptions {
  store: Store;
  trust?: TrustRegistry;
  sessions?: Sessions;
  /** When false, a request without a credential is let through as the local admin (loopback only). */
  required: boolean;
  /** Paths where a device token is taken (POST only). */
  devicePaths?: string[];
  /**
   * Paths whose sender cannot send an Authorization header, and the header that carries its token instead
   * (Garmin's gateway sends the static token set in Portal Connect as X-Outbound-Auth-Token).
   */
  headerTokens?: Record<string, string>;
  /**
   * Paths whose sender can only send "Authorization: Basic" (OwnTracks' HTTP mode): the password is the token,
   * the user name is not checked.
   */
  basicPaths?: string[];
}

const LOCAL: Principal = { kind: 'local', name: 'local', role: 'admin' };
/** What any credential lindero takes looks like, however it came: printable ASCII, at most 512 characters. */
const TOKEN_TEXT = /^[\x21-\x7e]{1,512}$/;

/** The token of "Authorization: Bearer TOKEN", if the request has one (whatever its characters: see bearerOf). */
export function bearerToken(request: FastifyRequest): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** The API's credential: a Bearer token of printable ASCII, at most 512 characters; null without the header. */
function bearerOf(request: FastifyRequest): string | null {
  if (request.headers.authorization === undefined) return null;
  const token = bearerToken(request);
  if (token === undefined || !TOKEN_TEXT.test(token)) {
    throw new HttpError(401, 'bad-authorization', 'the Authorization header must be "Bearer <key>"', 'authorization');
  }
  return token;
}

/** The token of a path's own credential header (see AuthOptions.headerTokens), checked as a Bearer token is. */
function headerTokenOf(request: FastifyRequest, path: string, options: AuthOptions): string | null {
  const header = options.headerTokens?.[path];
  const value = header === undefined ? undefined : request.headers[header];
  if (value === undefined) return null;
  const token = typeof value === 'string' ? value.trim() : '';
  if (!TOKEN_TEXT.test(token)) throw new HttpError(401, 'bad-authorization', `the ${header} header must hold one token`, header);
  return token;
}

/** The password of "Authorization: Basic" on a path that takes it (see AuthOptions.basicPaths); null elsewhere or without one. */
function basicPasswordOf(request: FastifyRequest, path: string, options: AuthOptions): string | null {
  const basic = /^Basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (basic === undefined || !(options.basicPaths ?? []).includes(path)) return null;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  if (!decoded.includes(':') || !TOKEN_TEXT.test(password)) {
    throw new HttpError(401, 'bad-authorization', 'the Authorization header must be "Basic" with the device token as the password', 'authorization');
  }
  return password;
}

/** Whether a host name or address listens only on this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::ffff:127.0.0.1';
}

async function principalOf(request: FastifyRequest, options: AuthOptions): Promise<Principal | null> {
  const path = request.url.split('?')[0];
  const bearer = basicPasswordOf(request, path, options) ?? bearerOf(request) ?? headerTokenOf(request, path, options);
  if (bearer !== null && bearer.startsWith('lndd_')) {
    const device = options.trust?.deviceByToken(bearer) ?? null;
    if (!device) throw new HttpError(401, 'bad-device-token', 'the device token is not valid (unknown or revoked)', 'authorization');
    if (request.method !== 'POST' || !(options.devicePaths ?? []).includes(path)) {
      throw new HttpError(403, 'device-token-not-allowed', 'a device token only reports fixes (POST /api/v1/fixes, /api/v1/owntracks, or /api/v1/inreach from Garmin); use an API key or sign in', 'authorization');
    }
    return { kind: 'device', name: device.name, device };
  }
  if (bearer !== null) {
    // On loopback a key is not needed and not checked, as before keys had roles.
    if (!options.required) return LOCAL;
    const valid = await options.store.verifyApiKey(bearer);
    if (!valid) throw new HttpError(401, 'unauthorized', 'the API key is not valid (unknown or revoked)', 'authorization');
    return { kind: 'key', id: valid.id, name: valid.label, role: options.trust ? await options.trust.keyRole(valid.id) : 'admin' };
  }
  const user = await options.sessions?.userOf(request);
  if (user) return { kind: 'user', name: user.name, role: user.role };
  return options.required ? null : LOCAL;
}

/**
 * Adds the credential check to the routes of this scope (call it in the scope before registering
 * them): sets request.principal, or answers 401.
 */
export function requireApiKey(app: FastifyInstance, options: AuthOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    // RFC 6750 §3: a 401 names the scheme the client must use.
    if (options.required) reply.header('www-authenticate', 'Bearer realm="lindero"');
    const principal = await principalOf(request, options);
    if (principal === null) {
      throw new HttpError(401, 'unauthorized', 'this server listens beyond loopback: sign in, or send "Authorization: Bearer <key>" with a key from `lindero key create`', 'authorization');
    }
    request.principal = principal;
    reply.removeHeader('www-authenticate');
  });
}

/** Refuses the request unless its principal has at least `role` (devices have none). */
export function requireRole(request: FastifyRequest, role: Role): Principal {
  const principal = request.principal ?? LOCAL;
  if (principal.kind === 'device' || !roleAtLeast(principal.role, role)) {
    const who = principal.kind === 'device' ? 'a device' : `role ${principal.role}`;
    throw new HttpError(403, 'forbidden', `${who} may not do this: it needs the ${role} role`, 'authorization');
  }
  return principal;
}
