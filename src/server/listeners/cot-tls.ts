// Cursor-on-Target over TLS (default port 8089), mutual TLS as TAK servers speak it: a client must
// present a certificate signed by this server's own authority whose device is enrolled and not
// revoked. The device then reports only its own units. Revoking a device closes its open connections.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { FastifyBaseLogger } from 'fastify';
import type { TrustRegistry } from '../../trust/index.js';
import type { EventHub } from '../../live/index.js';
import type { Pipeline } from '../../live/index.js';
import { listenCotTcp, type CotTcpOptions } from './cot-tcp.js';
import { closeOnRevocation } from './revocation.js';
import type { TcpListener } from './tcp.js';

export interface CotTlsOptions extends Omit<CotTcpOptions, 'tls'> {
  trust: TrustRegistry;
  /** Names and addresses the server's certificate is made for (beside localhost and loopback). */
  serverNames?: string[];
}

export async function listenCotTls(options: CotTlsOptions, pipeline: Pipeline, hub: EventHub, log: FastifyBaseLogger): Promise<TcpListener> {
  const { trust } = options;
  const ca = trust.authority();
  const server = ca.serverCertificate([options.host, ...(options.serverNames ?? [])]);
  const revocable = closeOnRevocation(trust, 'cot-tls', log);
  const tls = { key: server.keyPem, cert: server.certPem, ca: [ca.certPem], requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' as const };
  const deviceOfCertificate = (socket: Socket) => {
    const serial = (socket as TLSSocket).getPeerCertificate()?.serialNumber;
    return serial ? trust.deviceBySerial(serial) : null;
  };
  // Each enrolled device's connections are counted alone, not its address's (a fleet behind one VPN gateway).
  const connectionKey = (socket: Socket, address: string) => {
    const device = deviceOfCertificate(socket);
    return device ? `device ${device.name}` : address;
  };
  const listener = await listenCotTcp({ ...options, tls, connectionKey }, pipeline, hub, log, {
    name: 'cot-tls',
    deviceOf: (socket, address) => {
      // The handshake has checked the chain to our authority; what is left is whether the device is still enrolled.
      const device = deviceOfCertificate(socket);
      if (!device) {
        const cert = (socket as TLSSocket).getPeerCertificate();
        log.warn({ listener: 'cot-tls', address, serial: cert?.serialNumber, subject: cert?.subject?.CN }, 'certificate of a revoked or unknown device: connection refused');
        return null;
      }
      revocable.enrol(socket, device);
      return device;
    },
  });
  return { port: listener.port, connections: listener.connections, close: async () => { revocable.stop(); await listener.close(); } };
}
