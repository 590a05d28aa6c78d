// The three opening messages of a link, before any record:
//   server → client  {"t":"challenge","protocol","nonce"}
//   client → server  {"t":"hello","protocol","org","nonce","proof","received"}
//   server → client  {"t":"welcome","proof","received"}
// `received` is the last sequence number the speaker has stored from the other: where to resume.
// The challenge does not name the answering organisation: nothing about it is said to anyone before they
// prove the shared secret. The dialler knows whom it dialled (its configuration) and puts that name in
// the proof, so a server that is not that partner cannot make the welcome's proof.
import type { WebSocket } from 'ws';
import { LinderoError } from '../model/index.js';
import type { PartnerConfig } from './config.js';
import { CLOSE, LINK_PROTOCOL, newNonce, proof, proofMatches, sessionKeys, type SessionKeys } from './handshake.js';

export const HANDSHAKE_TIMEOUT_MS = 5000;

export interface Authenticated {
  partner: PartnerConfig;
  keys: SessionKeys;
  /** The last of our records the partner has stored. */
  peerReceivedSeq: number;
}

function refuse(socket: WebSocket, code: number, message: string): never {
  socket.close(code, message.slice(0, 120));
  throw new LinderoError(code === CLOSE.auth ? 'share-auth' : 'share-protocol', message);
}

/**
 * Holds a socket's messages from the moment it opens, so none is lost between the handshake and the
 * session: ws may deliver the welcome and the first records in one tick.
 */
export class Inbox {
  private readonly queue: { data: Buffer; isBinary: boolean }[] = [];
  private waiter: (() => void) | null = null;
  private listener: ((data: Buffer, isBinary: boolean) => void) | null = null;
  private closedWith: string | null = null;

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.listener) return this.listener(data, isBinary);
      this.queue.push({ data, isBinary });
      this.waiter?.();
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.closedWith = `closed during the handshake (${code} ${reason.toString('utf8')})`.trim();
      this.waiter?.();
    });
  }

  /** The next message, parsed as a JSON object. */
  async next(timeoutMs: number): Promise<Record<string, unknown>> {
    if (this.queue.length === 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.socket.terminate();
          reject(new LinderoError('share-timeout', `no handshake within ${timeoutMs} ms`));
        }, timeoutMs);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
        if (this.closedWith) this.waiter();
      });
    }
    const item = this.queue.shift();
    if (!item) throw new LinderoError('share-closed', this.closedWith ?? 'closed during the handshake');
    let value: unknown = null;
    try {
      value = item.isBinary ? null : JSON.parse(String(item.data));
    } catch {
      value = null;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(this.socket, CLOSE.protocol, 'handshake message is not a JSON object');
    return value as Record<string, unknown>;
  }

  /** From now on every message goes to `listener`, starting with those already queued. */
  handOver(listener: (data: Buffer, isBinary: boolean) => void): void {
    this.listener = listener;
    for (const item of this.queue.splice(0)) listener(item.data, item.isBinary);
  }
}

const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isShortString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The answering side: challenges, checks the dialler's proof, proves itself. */
export async function acceptHandshake(
  socket: WebSocket, inbox: Inbox, homeOrg: string, findPartner: (org: string) => PartnerConfig | undefined, receivedFrom: (partner: string) => Promise<number>,
): Promise<Authenticated> {
  const serverNonce = newNonce();
  socket.send(JSON.stringify({ t: 'challenge', protocol: LINK_PROTOCOL, nonce: serverNonce }));
  const hello = await inbox.next(HANDSHAKE_TIMEOUT_MS);
  if (hello.t !== 'hello' || hello.protocol !== LINK_PROTOCOL) refuse(socket, CLOSE.protocol, `expected a ${LINK_PROTOCOL} hello`);
  if (!isShortString(hello.org, 64) || !isShortString(hello.nonce, 100) || !isSeq(hello.received)) refuse(socket, CLOSE.protocol, 'malformed hello');
  const partner = findPartner(hello.org);
  // The same answer for an unknown name and a wrong proof: no list of partners to probe for.
  const parties = { clientOrg: hello.org, serverOrg: homeOrg, clientNonce: hello.nonce, serverNonce };
  if (!partner || !proofMatches(partner.secret, 'client', parties, hello.proof)) refuse(socket, CLOSE.auth, 'authentication failed');
  const received = await receivedFrom(partner.name);
  socket.send(JSON.stringify({ t: 'welcome', proof: proof(partner.secret, 'server', parties), received }));
  return { partner, keys: sessionKeys(partner.secret, parties, 'server'), peerReceivedSeq: hello.received };
}

/** The dialling side: answers the challenge and checks the server's proof. */
export async function dialHandshake(socket: WebSocket, inbox: Inbox, homeOrg: string, partner: PartnerConfig, url: string, received: () => Promise<number>): Promise<Authenticated> {
  const challenge = await inbox.next(HANDSHAKE_TIMEOUT_MS);
  if (challenge.t !== 'challenge' || challenge.protocol !== LINK_PROTOCOL || !isShortString(challenge.nonce, 100)) {
    refuse(socket, CLOSE.protocol, `expected a ${LINK_PROTOCOL} challenge`);
  }
  const clientNonce = newNonce();
  const parties = { clientOrg: homeOrg, serverOrg: partner.name, clientNonce, serverNonce: challenge.nonce };
  const receivedSeq = await received();
  socket.send(JSON.stringify({
    t: 'hello', protocol: LINK_PROTOCOL, org: homeOrg, nonce: clientNonce, proof: proof(partner.secret, 'client', parties), received: receivedSeq,
  }));
  const welcome = await inbox.next(HANDSHAKE_TIMEOUT_MS);
  if (welcome.t !== 'welcome' || !isSeq(welcome.received)) refuse(socket, CLOSE.protocol, 'expected a welcome');
  if (!proofMatches(partner.secret, 'server', parties, welcome.proof)) {
    refuse(socket, CLOSE.auth, `the server at ${url} could not prove it is ${partner.name} (it does not know the secret shared with ${partner.name})`);
  }
  return { partner, keys: sessionKeys(partner.secret, parties, 'client'), peerReceivedSeq: welcome.received };
}
