// Dials a partner while no link with it is open, backing off exponentially (with jitter, so two
// servers that lost each other do not retry in step) between failed attempts. A partner with several
// addresses (its nodes) is dialled at each in turn; the wait grows only once every one has failed.
import WebSocket from 'ws';
import type { PartnerConfig, ShareConfig } from './config.js';
import { dialHandshake, HANDSHAKE_TIMEOUT_MS, Inbox } from './link-handshake.js';
import { MAX_FRAME_BYTES, tlsOptions } from './link-server.js';
import type { Links } from './links.js';

export interface DialerDeps {
  config: ShareConfig;
  partner: PartnerConfig;
  links: Links;
  receivedFrom: (partner: string) => Promise<number>;
  log: (message: string) => void;
}

export class Dialer {
  private stopped = false;
  private wakeSleep: (() => void) | null = null;
  private socket: WebSocket | null = null;
  private readonly done: Promise<void>;
  /** The address dialled next, as an index into the partner's urls. */
  private next = 0;

  constructor(private readonly deps: DialerDeps) {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSleep?.();
    this.socket?.terminate();
    await this.done;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      // A wait never holds the process open by itself; the listeners and links do while they run.
      timer.unref();
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    const { links, partner, config } = this.deps;
    let backoffMs = config.link.reconnectMinMs;
    while (!this.stopped) {
      if (links.session(partner.name)) {
        await Promise.race([links.untilClosed(partner.name), this.sleep(3_600_000)]);
        // The link closed first: clear the hour's timer, or it keeps the process alive after everything has closed.
        this.wakeSleep?.();
        continue;
      }
      links.setStatus(partner.name, 'connecting');
      const error = await this.attempt();
      if (this.stopped) return;
      if (error === null || links.session(partner.name)) {
        backoffMs = config.link.reconnectMinMs;
        continue;
      }
      links.setStatus(partner.name, 'waiting', error);
      this.next = (this.next + 1) % partner.urls.length;
      // The next address at once, until every one has been tried.
      if (this.next !== 0) continue;
      const jitter = 0.8 + Math.random() * 0.4;
      await this.sleep(backoffMs * jitter);
      backoffMs = Math.min(backoffMs * 2, config.link.reconnectMaxMs);
    }
  }

  /** One connection attempt; null when it became the open link, else why not. */
  private async attempt(): Promise<string | null> {
    const { partner, config, links } = this.deps;
    const url = partner.urls[this.next];
    const tls = config.link.tls && url.startsWith('wss:') ? tlsOptions(config.link.tls) : {};
    const socket = new WebSocket(url, { maxPayload: MAX_FRAME_BYTES, handshakeTimeout: HANDSHAKE_TIMEOUT_MS, ...tls });
    this.socket = socket;
    const inbox = new Inbox(socket);
    socket.on('error', () => {});
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', (e) => reject(e));
        socket.once('close', (code) => reject(new Error(`closed before opening (${code})`)));
      });
      const auth = await dialHandshake(socket, inbox, config.org, partner, url, () => this.deps.receivedFrom(partner.name));
      const session = links.adopt(partner.name, config.org, socket, inbox, auth.keys, auth.peerReceivedSeq);
      return session ? null : 'a link dialled by the partner is already open';
    } catch (e) {
      socket.terminate();
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log(`link to ${partner.name} (${url}) failed: ${message}`);
      return message;
    }
  }
}
