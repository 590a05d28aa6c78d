// GET /api/v1/stream: a WebSocket of live events {"type": "fix" | "alert" | "unit", ...}.
// Each event is serialised once for all clients. A client that stops reading is disconnected
// (close code 1013, "try again later", RFC 6455 §7.4.1 as registered by IANA) instead of
// buffering without bound or slowing the others.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { ServerContext } from './context.js';
import type { ServerEvent } from '../live/index.js';
import { alertJson, fixJson, unitJson } from './wire.js';

export interface StreamOptions extends ServerContext {
  /** Bytes queued for one client before it is disconnected. Default 8 MiB. */
  maxBufferedBytes?: number;
}

/** The wire text of an event. */
export function eventText(event: ServerEvent): string {
  switch (event.type) {
    case 'fix': return JSON.stringify({ type: 'fix', fix: fixJson(event.fix) });
    case 'alert': return JSON.stringify({ type: 'alert', alert: alertJson(event.alert) });
    case 'unit': return JSON.stringify({ type: 'unit', unit: unitJson(event.unit) });
    case 'partner': return JSON.stringify(event.event);
  }
}

const TRY_AGAIN_LATER = 1013;

/**
 * Holds a client's frames back until the events published in this turn of the event loop are all queued,
 * then writes them with one system call instead of one per event. (ws has no public cork; its socket is
 * `_socket`, and when that is missing frames simply go out one by one.)
 */
function corkForThisTurn(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (!raw || raw.writableCorked > 0) return;
  raw.cork();
  process.nextTick(() => raw.uncork());
}

export const streamRoutes: FastifyPluginAsyncTypebox<StreamOptions> = async (app, ctx) => {
  const maxBufferedBytes = ctx.maxBufferedBytes ?? 8 * 1024 * 1024;
  const clients = new Set<WebSocket>();
  const unsubscribe = ctx.hub.subscribe((event) => {
    if (clients.size === 0) return;
    const text = eventText(event);
    for (const socket of clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > maxBufferedBytes) {
        clients.delete(socket);
        socket.close(TRY_AGAIN_LATER, 'too slow: events arrive faster than this client reads them');
        continue;
      }
      corkForThisTurn(socket);
      socket.send(text);
    }
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    for (const socket of clients) socket.close(1001, 'server shutting down');
  });

  app.get('/stream', { websocket: true }, (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => clients.delete(socket));
    // The stream is one-way; anything a client sends is ignored (its size is capped by maxPayload).
    socket.on('message', () => {});
  });
};
