// The link listener: its own port (plain, or TLS with client certificates when configured), so a
// partner's link never meets the API's key check, body limits or rate limits, and the other way round.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { WebSocketServer, type WebSocket } from 'ws';
import { LinderoError } from '../model/index.js';
import type { ShareConfig } from './config.js';

/** Largest frame accepted: a record is well under 2 KiB. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** Connections to the link port at once, at most: a few per partner, with room for reconnections. */
export const MAX_LINK_CONNECTIONS = 64;
/**
 * Connections one address may open per minute. A partner's dialler backs off from reconnect_min_ms (500 ms)
 * doubling, so even one restarting in a loop stays far below; a scanner or a flood is cut off before its
 * sockets reach the handshake.
 */
export const LINK_CONNECTIONS_PER_MINUTE = 60;

/** Counts each address's connections in the current minute; over the limit, the connection is not served. */
class AddressRate {
  private windowStartMs = 0;
  private readonly counts = new Map<string, number>();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  allow(address: string): boolean {
    const now = this.now();
    if (now - this.windowStartMs >= 60_000) {
      this.windowStartMs = now;
      this.counts.clear();
    }
    const count = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, count);
    return count <= this.perMinute;
  }
}

export interface LinkListener {
  port: number;
  close(): Promise<void>;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new LinderoError('share-config', `cannot read the link's TLS ${what} ${file}: ${(e as Error).message}`, { file, field: `link.tls.${what}` });
  }
}

/** TLS options for both ends of a link: our certificate, and the CA the other side's must chain to. */
export function tlsOptions(tls: NonNullable<ShareConfig['link']['tls']>): { cert: Buffer; key: Buffer; ca: Buffer } {
  return { cert: readPem(tls.cert, 'cert'), key: readPem(tls.key, 'key'), ca: readPem(tls.ca, 'ca') };
}

function upgradeOnly(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
  response.end('this port is a lindero partner link: connect with a WebSocket\n');
}

export async function listenForPartners(config: ShareConfig, onSocket: (socket: WebSocket) => void): Promise<LinkListener> {
  const { host, port, tls } = config.link;
  // Mutual TLS: a partner without a certificate from the configured CA does not get past the TLS handshake.
  const server: Server = tls
    ? createHttpsServer({ ...tlsOptions(tls), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, upgradeOnly)
    : createHttpServer(upgradeOnly);
  server.headersTimeout = 10_000;
  server.maxConnections = MAX_LINK_CONNECTIONS;
  const rate = new AddressRate(LINK_CONNECTIONS_PER_MINUTE);
  const wss = new WebSocketServer({ server, maxPayload: MAX_FRAME_BYTES });
  wss.on('connection', (socket, request) => {
    // Refused before the handshake: not even the challenge is sent.
    if (!rate.allow(request.socket.remoteAddress ?? '')) return socket.terminate();
    onSocket(socket);
  });
  wss.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as { port: number }).port;
  return {
    port: bound,
    close: () => new Promise<void>((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
