// GET /api/v1/stream: a WebSocket of live events {"type": "fix" | "alert" | "unit" | "acknowledgement" | "marker", ...}.
// Each event is serialised once for all clients. A client that stops reading is disconnected
// (close code 1013, "try again later", RFC 6455 §7.4.1 as registered by IANA) instead of
// buffering without bound or slowing the others.
//
// Asked for in the query (the dashboard asks for all three):
// - batch=1: everything other than an alert is gathered for up to `batchIntervalMs` and sent as one frame
//   {"type":"batch","events":[…]} (each element exactly the frame it would have been alone, in the order
//   published). Alerts (`alert`, `partner-alert`) go out at once, each alone as without batching, ahead of
//   the batch being gathered. While the client is behind (more than `behindBytes` queued for it, or, with
//   ack=1, its last batch not acknowledged) nothing but alerts is sent: the batch waits, and in it a unit's
//   `fix` and `unit` events are folded into its latest (the fix with the newest device time, the last
//   summary), so what is held for a slow client is bounded by the number of units. Everything else is held
//   in order and counts, with what is queued, towards `maxBufferedBytes`.
// - ack=1 (with batch=1): the client sends the text `ack` once it has taken each batch, and the next batch
//   waits for it. Socket buffers on the way hold megabytes; without this, a page whose main thread is slow
//   would find an alert queued behind all of them.
// - units=0: no `unit` events (each repeats its unit's latest fix, which a client taking fixes already has).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { ServerContext } from './context.js';
import type { ServerEvent } from '../live/index.js';
import { acknowledgementJson, alertJson, fixJson, markerJson, unitJson } from './wire.js';

export interface StreamOptions extends ServerContext {
  /** Bytes queued for one client (and, batching, held for it) before it is disconnected. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** Batching: how long events are gathered before they go out as one frame. Default 100 ms. */
  batchIntervalMs?: number;
  /** Batching: bytes queued for a client above which it is behind (its batch waits, and folds). Default 256 KiB. */
  behindBytes?: number;
}

/** The wire text of an event. */
export function eventText(event: ServerEvent): string {
  switch (event.type) {
    case 'fix': return JSON.stringify({ type: 'fix', fix: fixJson(event.fix) });
    case 'alert': return JSON.stringify({ type: 'alert', alert: alertJson(event.alert) });
    case 'unit': return JSON.stringify({ type: 'unit', unit: unitJson(event.unit) });
    case 'partner': return JSON.stringify(event.event);
    case 'acknowledgement': return JSON.stringify({ type: 'acknowledgement', acknowledgement: acknowledgementJson(event.acknowledgement) });
    case 'marker': return JSON.stringify({ type: 'marker', marker: markerJson(event.marker) });
  }
}

/** The frame of a batch: the events' own texts, in order, inside {"type":"batch","events":[…]}. */
export function batchText(texts: Iterable<string>): string {
  return `{"type":"batch","events":[${[...texts].join(',')}]}`;
}

/** Alerts are never batched, held or folded. */
const isAlert = (event: ServerEvent) => event.type === 'alert' || (event.type === 'partner' && event.event.type === 'partner-alert');

const TRY_AGAIN_LATER = 1013;
const TOO_SLOW = 'too slow: events arrive faster than this client reads them';

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

interface Held {
  text: string;
  /** A fix's device time: a fix folded into a unit's latest replaces it only when not older. */
  time?: number;
}

/** A batching client's events not yet sent, in order; a unit's fix and summary keyed by unit while it is behind. */
class Batch {
  readonly held = new Map<string, Held>();
  bytes = 0;
  private seq = 0;

  add(event: ServerEvent, text: string, fold: boolean): void {
    let key: string;
    let time: number | undefined;
    if (fold && event.type === 'fix') {
      key = `fix\u0000${event.fix.unit}`;
      time = event.fix.time;
      const known = this.held.get(key);
      if (known?.time !== undefined && known.time > time) return;
    } else if (fold && event.type === 'unit') {
      key = `unit\u0000${event.unit.unit}`;
    } else {
      key = String(this.seq++);
    }
    const known = this.held.get(key);
    if (known) {
      // Delete first: the latest takes its place at the end, after whatever was published before it.
      this.held.delete(key);
      this.bytes -= known.text.length;
    }
    this.held.set(key, { text, time });
    this.bytes += text.length;
  }

  take(): string {
    const frame = batchText([...this.held.values()].map((h) => h.text));
    this.held.clear();
    this.bytes = 0;
    return frame;
  }
}

/** What a client asked for: its batch when batching, whether it acknowledges batches, whether it takes unit events. */
interface Client {
  batch: Batch | null;
  acks: boolean;
  units: boolean;
  /** With acks: a batch was sent and its acknowledgement has not come back. */
  unacknowledged: boolean;
}

const Flag = (description: string) => Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')], { description }));

export const streamRoutes: FastifyPluginAsyncTypebox<StreamOptions> = async (app, ctx) => {
  const maxBufferedBytes = ctx.maxBufferedBytes ?? 8 * 1024 * 1024;
  const batchIntervalMs = ctx.batchIntervalMs ?? 100;
  const behindBytes = ctx.behindBytes ?? 256 * 1024;
  const clients = new Map<WebSocket, Client>();
  let timer: NodeJS.Timeout | undefined;

  const drop = (socket: WebSocket) => {
    clients.delete(socket);
    socket.close(TRY_AGAIN_LATER, TOO_SLOW);
  };

  /** Sends each batching client its batch unless it is behind: then its batch waits (for an ack, or the next tick). */
  const flush = () => {
    timer = undefined;
    let waiting = false;
    for (const [socket, client] of clients) {
      const { batch } = client;
      if (!batch || batch.held.size === 0 || client.unacknowledged || socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > behindBytes) {
        waiting = true;
        continue;
      }
      socket.send(batch.take());
      client.unacknowledged = client.acks;
    }
    if (waiting) schedule();
  };
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(flush, batchIntervalMs);
    timer.unref();
  };

  const unsubscribe = ctx.hub.subscribe((event) => {
    if (clients.size === 0) return;
    let text: string | undefined;
    const alert = isAlert(event);
    for (const [socket, client] of clients) {
      if (socket.readyState !== socket.OPEN || (event.type === 'unit' && !client.units)) continue;
      text ??= eventText(event);
      const { batch } = client;
      const queued = socket.bufferedAmount;
      if (!batch || alert) {
        if (queued + (batch?.bytes ?? 0) > maxBufferedBytes) {
          drop(socket);
          continue;
        }
        corkForThisTurn(socket);
        socket.send(text);
        continue;
      }
      batch.add(event, text, client.unacknowledged || queued > behindBytes);
      if (queued + batch.bytes > maxBufferedBytes) {
        drop(socket);
        continue;
      }
      if (!client.unacknowledged) schedule();
    }
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    clearTimeout(timer);
    for (const socket of clients.keys()) socket.close(1001, 'server shutting down');
  });

  app.get('/stream', {
    schema: {
      querystring: Type.Object({
        batch: Flag('1: events other than alerts gathered into {"type":"batch","events":[…]} frames, alerts at once and alone'),
        ack: Flag('1 (with batch=1): the client sends `ack` for each batch, and the next waits for it'),
        units: Flag('0: no `unit` events'),
      }),
    },
    websocket: true,
  }, (socket, request) => {
    const { query } = request;
    const batching = query.batch === '1';
    const client: Client = { batch: batching ? new Batch() : null, acks: batching && query.ack === '1', units: query.units !== '0', unacknowledged: false };
    clients.set(socket, client);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => clients.delete(socket));
    // Nothing else a client sends means anything; it is ignored (its size is capped by maxPayload).
    socket.on('message', (data, isBinary) => {
      if (!client.acks || isBinary || String(data) !== 'ack') return;
      client.unacknowledged = false;
      if (client.batch!.held.size > 0) schedule();
    });
  });
};
