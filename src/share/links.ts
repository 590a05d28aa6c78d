// At most one link per partner. When both servers dial each other at once, both keep the same one
// of the two connections (the one dialled by the organisation whose name sorts first) and close the
// other, so they agree without talking about it. A dialler waits while a link is open either way.
import type { WebSocket } from 'ws';
import type { SessionKeys } from './handshake.js';
import type { Inbox } from './link-handshake.js';
import { CLOSE, LinkSession, type SessionHost } from './session.js';

export type LinkState = 'connected' | 'connecting' | 'waiting' | 'down';

export interface LinkStatus {
  state: LinkState;
  sinceMs: number;
  lastError: string | null;
  dialledBy: string | null;
}

/** A link's status once it is `state`: since the change, or since before when only the error changed. */
export function statusAfter(previous: LinkStatus | undefined, state: LinkState, lastError: string | null, nowMs: number, dialledBy: string | null): LinkStatus {
  return { state, sinceMs: previous && previous.state === state ? previous.sinceMs : nowMs, lastError, dialledBy };
}

export class Links {
  private readonly sessions = new Map<string, LinkSession>();
  private readonly statuses = new Map<string, LinkStatus>();
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly homeOrg: string, private readonly host: SessionHost, private readonly onChange: (partner: string) => void) {}

  session(partner: string): LinkSession | null {
    const s = this.sessions.get(partner);
    return s && !s.closed ? s : null;
  }

  status(partner: string): LinkStatus {
    return this.statuses.get(partner) ?? { state: 'down', sinceMs: this.host.now(), lastError: null, dialledBy: null };
  }

  setStatus(partner: string, state: LinkState, lastError: string | null = this.status(partner).lastError): void {
    const previous = this.statuses.get(partner);
    if (previous && previous.state === state && previous.lastError === lastError) return;
    this.statuses.set(partner, statusAfter(previous, state, lastError, this.host.now(), this.session(partner)?.dialledBy ?? null));
    this.onChange(partner);
  }

  /** Resolves once no link with the partner is open (at once when none is). */
  untilClosed(partner: string): Promise<void> {
    if (!this.session(partner)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(partner, [...(this.waiters.get(partner) ?? []), resolve]));
  }

  /** Starts a session on an authenticated socket, or refuses it when the link already open is the one to keep. */
  adopt(partner: string, dialledBy: string, socket: WebSocket, inbox: Inbox, keys: SessionKeys, peerReceivedSeq: number): LinkSession | null {
    const current = this.session(partner);
    if (current) {
      // A new link from the same dialler replaces one that side has given up on (half-open after a crash).
      const preferred = [this.homeOrg, partner].sort()[0];
      if (current.dialledBy !== dialledBy && current.dialledBy === preferred) {
        socket.close(CLOSE.duplicate, 'a link with this organisation is already open');
        return null;
      }
      current.close(CLOSE.duplicate, 'replaced by the link dialled by the other side');
    }
    const host: SessionHost = {
      db: this.host.db, now: () => this.host.now(),
      onReceived: (p, stored) => this.host.onReceived(p, stored),
      onDelivered: (p, messages) => this.host.onDelivered(p, messages),
      onClosed: (session, code, reason) => this.closed(session, code, reason),
    };
    const session = new LinkSession(partner, dialledBy, socket, keys, peerReceivedSeq, host, inbox);
    this.sessions.set(partner, session);
    this.setStatus(partner, 'connected', null);
    session.pump();
    return session;
  }

  private closed(session: LinkSession, code: number, reason: string): void {
    if (this.sessions.get(session.partner) !== session) return;
    this.sessions.delete(session.partner);
    this.setStatus(session.partner, 'down', code === CLOSE.shutdown || code === 1000 ? null : `link closed (${code}${reason ? `: ${reason}` : ''})`);
    this.host.onClosed(session, code, reason);
    for (const resolve of this.waiters.get(session.partner) ?? []) resolve();
    this.waiters.delete(session.partner);
  }

  pumpAll(partners: string[]): void {
    for (const p of partners) this.session(p)?.pump();
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.close(CLOSE.shutdown, 'server shutting down');
  }
}
