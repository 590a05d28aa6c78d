// What every raw TCP listener shares: connection limits overall and per address, an idle timeout
// (which also ends half-open connections whose peer vanished), TCP keepalive, and a read gate that
// pauses a connection while it is over its rate or has too many fixes waiting to be stored.
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import type { FastifyBaseLogger } from 'fastify';
import { TokenBucket } from './token-bucket.js';

/** Five minutes: TAK clients ping every 15 s or so and receivers send every second, so quiet this long means gone. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

export interface TcpListenerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Open connections at once, all addresses. Default 1000. */
  maxConnections?: number;
  /** Open connections at once from one address (or one device: see connectionKey). Default 32. */
  maxConnectionsPerAddress?: number;
  /**
   * What maxConnectionsPerAddress counts a connection under; default its address. Over TLS the client's
   * certificate names its device, so that devices behind one address (a VPN gateway, carrier NAT) are each
   * counted alone.
   */
  connectionKey?: (socket: Socket, address: string) => string;
  /** A connection that sends nothing for this long is closed, ms. Default 5 minutes. */
  idleTimeoutMs?: number;
  /** When every slot is taken, the connection quiet longest gives its slot to a new one if quiet this long, ms. Default 30 s. */
  evictAfterQuietMs?: number;
  /** Listen with TLS: onConnection is called once the handshake has succeeded. */
  tls?: TlsOptions;
}

/**
 * When every slot is taken, a new connection takes the slot of the one quiet longest, if that one has
 * been quiet at least this long (TAK clients ping every 15 s or so, so a live client is never taken).
 */
export const EVICT_AFTER_QUIET_MS = 30_000;

/** Time a TLS client has to finish its handshake, ms. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

export interface TcpListener {
  readonly port: number;
  readonly connections: ReadonlySet<Socket>;
  /** Stops accepting, ends every connection and waits until they are gone. */
  close(): Promise<void>;
}

/** Remote address without the IPv4-mapped IPv6 prefix (so 127.0.0.1 is one address however it connects). */
export function remoteAddress(socket: Socket): string {
  return (socket.remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

export async function listenTcp(name: string, options: TcpListenerOptions, log: FastifyBaseLogger, onConnection: (socket: Socket, address: string) => void): Promise<TcpListener> {
  const connections = new Set<Socket>();
  /** When each connection last sent something (performance.now() ms). */
  const lastHeardMs = new Map<Socket, number>();
  const maxConnections = options.maxConnections ?? 1000;
  /** Open connections by what maxConnectionsPerAddress counts them under (connectionKey). */
  const openByKey = new Map<string, number>();
  const maxPerAddress = options.maxConnectionsPerAddress ?? 32;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const serverOptions = { keepAlive: true, keepAliveInitialDelay: 60_000, noDelay: true };
  const accept = (socket: Socket) => {
    const address = remoteAddress(socket);
    const key = options.connectionKey?.(socket, address) ?? address;
    const open = openByKey.get(key) ?? 0;
    // A socket error (reset by peer) must never reach the process as an uncaught exception.
    socket.on('error', (e) => log.debug({ err: e, listener: name, address }, 'connection error'));
    if (open >= maxPerAddress) {
      log.warn({ listener: name, address, key, open }, key === address ? 'too many connections from one address; refused' : 'too many connections of one device; refused');
      socket.destroy();
      return;
    }
    if (connections.size >= maxConnections && !evictQuietest()) {
      log.warn({ listener: name, address, open: connections.size }, 'every connection slot is busy; refused');
      socket.destroy();
      return;
    }
    openByKey.set(key, open + 1);
    connections.add(socket);
    lastHeardMs.set(socket, performance.now());
    socket.on('data', () => lastHeardMs.set(socket, performance.now()));
    socket.setTimeout(idleTimeoutMs, () => {
      log.info({ listener: name, address }, 'idle connection closed');
      socket.destroy();
    });
    socket.on('close', () => {
      connections.delete(socket);
      lastHeardMs.delete(socket);
      const left = (openByKey.get(key) ?? 1) - 1;
      if (left > 0) openByKey.set(key, left);
      else openByKey.delete(key);
    });
    try {
      onConnection(socket, address);
    } catch (e) {
      log.error({ err: e, listener: name, address }, 'connection handler failed');
      socket.destroy();
    }
  };
  /** Closes the connection quiet longest, if quiet long enough; whether a slot was freed. */
  const evictQuietest = (): boolean => {
    let quietest: Socket | null = null;
    let heardMs = Infinity;
    for (const [socket, ms] of lastHeardMs) if (ms < heardMs) [quietest, heardMs] = [socket, ms];
    if (!quietest || performance.now() - heardMs < (options.evictAfterQuietMs ?? EVICT_AFTER_QUIET_MS)) return false;
    log.info({ listener: name, address: remoteAddress(quietest) }, 'every slot busy: the connection quiet longest was closed for a new one');
    // Its 'close' event comes later: take it out of the count now.
    connections.delete(quietest);
    lastHeardMs.delete(quietest);
    quietest.destroy();
    return true;
  };
  const server: Server = options.tls
    ? createTlsServer({ ...serverOptions, ...options.tls, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }, accept)
    : createServer(serverOptions, accept);
  // A failed handshake (no certificate, one not from our authority) is the client's problem, not ours.
  server.on('tlsClientError', (e: Error, socket: Socket) => {
    log.info({ listener: name, address: remoteAddress(socket), reason: e.message }, 'TLS handshake refused');
    socket.destroy();
  });
  // No server.maxConnections: Node would drop new connections before the quiet ones could be evicted.
  server.on('error', (e) => log.error({ err: e, listener: name }, 'listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    connections,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of connections) {
        socket.end();
        // Give a well-behaved peer a moment to read what was sent, then let go.
        setTimeout(() => socket.destroy(), 500).unref();
      }
    }),
  };
}

/**
 * Pauses reading a connection while it is over its message rate (TCP then slows the sender down,
 * RFC 9293 flow control, without losing anything) or while too many of its fixes await the store.
 */
export class ReadGate {
  private readonly bucket: TokenBucket;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;

  /**
   * idleTimeoutMs: the connection's idle timeout, suspended while the gate holds it paused. shared: the
   * budget of the connection's source across all its connections (see SourceBudgets).
   */
  constructor(private readonly socket: Socket, messagesPerSecond: number, private readonly maxInFlight: number, private readonly idleTimeoutMs: number, private readonly shared: TokenBucket | null = null) {
    this.bucket = new TokenBucket(messagesPerSecond, messagesPerSecond);
    socket.on('close', () => this.timer && clearTimeout(this.timer));
  }

  /** Counts messages read; pauses the socket if they put it over its rate. */
  received(messages: number): void {
    if (messages === 0) return;
    this.bucket.take(messages);
    this.shared?.take(messages);
    this.update();
  }

  storing(fixes: number): void {
    this.inFlight += fixes;
    this.update();
  }

  stored(fixes: number): void {
    this.inFlight -= fixes;
    this.update();
  }

  private update(): void {
    if (this.socket.destroyed) return;
    const waitMs = Math.max(this.bucket.waitMs(), this.shared?.waitMs() ?? 0);
    if (waitMs === 0 && this.inFlight <= this.maxInFlight) {
      if (this.socket.isPaused()) {
        this.socket.setTimeout(this.idleTimeoutMs);
        this.socket.resume();
      }
      return;
    }
    // Held back by us, the peer is not idle: no idle timeout while paused.
    this.socket.setTimeout(0);
    this.socket.pause();
    if (waitMs > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.update();
      }, waitMs);
    }
  }
}
