// API keys: beyond loopback every /api/v1 request carries `Authorization: Bearer <key>` (RFC 6750 §2.1),
// checked against the hashed keys in the store. Browsers cannot set headers on a WebSocket, so the
// stream also takes the key as `access_token` in the query (RFC 6750 §2.3).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import { HttpError } from './http-errors.js';

export interface AuthOptions {
  store: Store;
  /** When false, every request is let through (the server listens on loopback only). */
  required: boolean;
  /** Paths (without query) that also accept `?access_token=`. */
  queryTokenPaths?: string[];
}

const BEARER = /^Bearer\s+([\x21-\x7e]{1,512})\s*$/i;

function presentedKey(request: FastifyRequest, queryTokenPaths: string[]): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = BEARER.exec(header);
    if (!m) throw new HttpError(401, 'bad-authorization', 'the Authorization header must be "Bearer <key>"', 'authorization');
    return m[1];
  }
  const path = request.url.split('?')[0];
  if (queryTokenPaths.includes(path)) {
    const token = (request.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof token === 'string' && token.length > 0 && token.length <= 512) return token;
  }
  return null;
}

/** Whether a host name or address listens only on this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::ffff:127.0.0.1';
}

/**
 * Adds the key check to the routes of this scope (call it in the scope before registering them).
 * A no-op when keys are not required.
 */
export function requireApiKey(app: FastifyInstance, options: AuthOptions): void {
  if (!options.required) return;
  const queryTokenPaths = options.queryTokenPaths ?? [];
  app.addHook('onRequest', async (request, reply) => {
    // RFC 6750 §3: a 401 names the scheme the client must use.
    reply.header('www-authenticate', 'Bearer realm="lindero"');
    const key = presentedKey(request, queryTokenPaths);
    if (key === null) {
      throw new HttpError(401, 'unauthorized', 'this server listens beyond loopback: send "Authorization: Bearer <key>" with a key from `lindero key create`', 'authorization');
    }
    const valid = await options.store.verifyApiKey(key);
    if (!valid) throw new HttpError(401, 'unauthorized', 'the API key is not valid (unknown or revoked)', 'authorization');
    reply.removeHeader('www-authenticate');
  });
}
