// The connections each device holds open on a listener, so that revoking the device closes them at once.
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { DeviceCredential, TrustRegistry } from '../../trust/index.js';

export interface DeviceConnections {
  /** The socket is now the device's (forgotten when it closes). */
  enrol(socket: Socket, device: DeviceCredential): void;
  /** Stops watching for revocations. */
  stop(): void;
}

export function closeOnRevocation(trust: TrustRegistry | undefined, listener: string, log: FastifyBaseLogger): DeviceConnections {
  const devices = new Map<Socket, DeviceCredential>();
  const stop = trust?.onRevoked((revoked) => {
    for (const [socket, device] of devices) {
      if (device.certSerial !== revoked.certSerial) continue;
      log.warn({ listener, device: device.name, address: socket.remoteAddress }, 'device revoked: connection closed');
      socket.destroy();
    }
  });
  return {
    enrol: (socket, device) => {
      if (!devices.has(socket)) socket.on('close', () => devices.delete(socket));
      devices.set(socket, device);
    },
    stop: () => stop?.(),
  };
}
