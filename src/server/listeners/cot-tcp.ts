// Cursor-on-Target over TCP (TAK protocol version 0: XML events back to back, default port 8087).
// Events are framed by CotStreamSplitter, so one may arrive split across any number of packets.
// Alerts go back to every connected TAK client as CoT markers.
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { isLinderoError } from '../../errors.js';
import { alertToCot, CotStreamSplitter, DEFAULT_MAX_COT_BYTES, parseCot, type Fix, type TimeWindow } from '../../ingest/index.js';
import type { StoredAlert } from '../../store/index.js';
import type { DeviceCredential } from '../../trust/index.js';
import { alertMessage } from '../alert-text.js';
import type { EventHub } from '../events.js';
import { ownedFixes } from '../device-auth.js';
import type { Pipeline } from '../pipeline.js';
import type { SourceBudgets } from './source-budget.js';
import { DEFAULT_IDLE_TIMEOUT_MS, listenTcp, ReadGate, type TcpListener, type TcpListenerOptions } from './tcp.js';

export interface CotTcpOptions extends TcpListenerOptions {
  /** Largest event, bytes. Default 64 KiB. */
  maxEventBytes?: number;
  /** Events per second one connection may send before it is slowed down. Default 20,000. */
  eventsPerSecond?: number;
  /** Fixes from one connection waiting for the store before reading pauses. Default 20,000. */
  maxPendingFixes?: number;
  /** Bytes queued to a client before alerts to it are skipped. Default 1 MiB. */
  maxQueuedBytes?: number;
  /** A connection that sends no whole event (a position, a ping) this long after it opens is closed, ms. Default 15 s. */
  firstEventTimeoutMs?: number;
  /** Events per second per source across its connections and ports (shared with the other listeners). */
  budgets?: SourceBudgets;
  time?: TimeWindow;
}

/** The CoT marker for a stored alert, remarks in English and Spanish. */
export function alertCot(alert: StoredAlert): string {
  return alertToCot({
    id: alert.id, kind: alert.kind, unit: alert.unit, time: alert.time,
    lat: alert.determination.lat, lon: alert.determination.lon,
    // An assumed accuracy is not the fix's: the marker says unknown (ce 9999999) rather than claim it.
    accuracyM: alert.determination.accuracyAssumed ? undefined : alert.determination.accuracyM,
    remarksEn: alertMessage(alert, 'en'), remarksEs: alertMessage(alert, 'es'),
  });
}

/**
 * Who a connection is. Without one (plain CoT, open to any sender) every unit is taken; with one, the
 * device a connection belongs to is decided when it opens (null: refused), and only its units are taken.
 */
export interface CotAccess {
  name: string;
  deviceOf(socket: Socket, address: string): DeviceCredential | null;
}

export async function listenCotTcp(options: CotTcpOptions, pipeline: Pipeline, hub: EventHub, log: FastifyBaseLogger, access?: CotAccess): Promise<TcpListener> {
  const maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
  const name = access?.name ?? 'cot-tcp';
  const listener = await listenTcp(name, options, log, (socket, address) => {
    const device = access ? access.deviceOf(socket, address) : null;
    if (access && !device) {
      socket.destroy();
      return;
    }
    handleConnection(socket, address, options, pipeline, log, name, device);
  });
  const unsubscribe = hub.subscribe((event) => {
    if (event.type !== 'alert' || listener.connections.size === 0) return;
    const text = alertCot(event.alert);
    for (const socket of listener.connections) {
      // A client that does not read its socket misses alerts rather than holding the server's memory.
      if (socket.writable && socket.writableLength <= maxQueuedBytes) socket.write(text);
    }
  });
  return { port: listener.port, connections: listener.connections, close: async () => { unsubscribe(); await listener.close(); } };
}

function handleConnection(socket: Socket, address: string, options: CotTcpOptions, pipeline: Pipeline, log: FastifyBaseLogger, listener: string, device: DeviceCredential | null): void {
  const splitter = new CotStreamSplitter({ maxEventBytes: options.maxEventBytes ?? DEFAULT_MAX_COT_BYTES });
  const shared = options.budgets?.join(device ? `device:${device.name}` : address, socket) ?? null;
  const gate = new ReadGate(socket, options.eventsPerSecond ?? 20_000, options.maxPendingFixes ?? 20_000, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, shared);
  // A slot is for a client that speaks CoT: one that has sent no whole event by the deadline gives it back.
  let firstEvent: NodeJS.Timeout | null = setTimeout(() => {
    log.info({ listener, address }, 'no event within the first-event deadline; connection closed');
    socket.destroy();
  }, options.firstEventTimeoutMs ?? 15_000);
  socket.once('close', () => firstEvent && clearTimeout(firstEvent));
  const skipped = new Map<string, number>();
  const note = (code: string, message: string) => {
    const n = (skipped.get(code) ?? 0) + 1;
    skipped.set(code, n);
    // The first of each kind is logged with its reason; the rest are counted.
    if (n === 1) log.info({ listener, address, code }, message);
  };
  const handle = (items: ReturnType<CotStreamSplitter['push']>) => {
    let fixes: Fix[] = [];
    for (const item of items) {
      if (item.kind === 'error') {
        note(item.error.code, item.error.describe());
        continue;
      }
      if (firstEvent) {
        clearTimeout(firstEvent);
        firstEvent = null;
      }
      try {
        fixes.push(parseCot(item.xml, { maxBytes: options.maxEventBytes, time: options.time }).fix);
      } catch (e) {
        if (!isLinderoError(e)) throw e;
        // Pings and chat are normal traffic, not errors.
        if (e.code !== 'cot-not-position') note(e.code, `byte ${item.byte}: ${e.describe()}`);
      }
    }
    gate.received(items.length);
    if (device) fixes = ownedFixes(fixes, device, { listener, address }, log);
    if (fixes.length === 0) return;
    gate.storing(fixes.length);
    pipeline.ingest(fixes)
      .catch((e: unknown) => log.error({ err: e, listener, address, fixes: fixes.length }, 'fixes could not be stored'))
      .finally(() => gate.stored(fixes.length));
  };
  socket.on('data', (chunk: Buffer) => handle(splitter.push(chunk)));
  socket.on('end', () => {
    handle(splitter.end());
    socket.end();
  });
  socket.on('close', () => {
    if (skipped.size > 0) log.info({ listener, address, skipped: Object.fromEntries(skipped) }, 'connection closed; some input was skipped');
  });
}
