// Operators' sessions: a random id in an HttpOnly, SameSite=Strict cookie, kept in the store (its file,
// or PostgreSQL, where every node sharing the database knows it) so that a restart signs nobody out. The id is 32 random bytes; only its SHA-256 is kept, so a copy of the
// file does not hand out sessions.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role, TrustRegistry } from '../trust/index.js';

export const SESSION_COOKIE = 'lindero_session';
/** Twelve hours: a shift. */
export const SESSION_TTL_MS = 12 * 3_600_000;

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** The value of one cookie in a Cookie header (RFC 6265 §5.4), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class Sessions {
  constructor(private readonly trust: TrustRegistry, private readonly secureCookies: boolean, private readonly now: () => number = Date.now) {}

  /** Starts a session for a signed-in user and sets its cookie. */
  async start(reply: FastifyReply, name: string): Promise<void> {
    const id = randomBytes(32).toString('base64url');
    await this.trust.db.saveSession(hashId(id), name, this.now() + SESSION_TTL_MS);
    reply.header('set-cookie', this.cookie(id, SESSION_TTL_MS / 1000));
  }

  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (id) await this.trust.db.endSession(hashId(id));
    reply.header('set-cookie', this.cookie('', 0));
  }

  /** The signed-in user of this request, while the session lasts and the account is not disabled. */
  async userOf(request: FastifyRequest): Promise<{ name: string; role: Role } | null> {
    const id = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (!id || id.length > 64) return null;
    const session = await this.trust.db.session(hashId(id));
    if (!session) return null;
    if (session.expiresMs <= this.now()) {
      await this.trust.db.endSession(hashId(id));
      return null;
    }
    const user = await this.trust.user(session.name);
    return user ? { name: user.name, role: user.role } : null;
  }

  private cookie(value: string, maxAgeS: number): string {
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${this.secureCookies ? '; Secure' : ''}`;
  }
}
