// Cursor-on-Target over TCP (default port 8087): TAK protocol version 0 (XML events back to back) and
// version 1 (protobuf stream frames), framed by CotStreamSplitter, so one may arrive split across any
// number of packets. A client may switch the connection to version 1 as TAK servers allow it
// (takproto/protocol.txt, "Streaming Connection Protocol Negotiation"): with `offerTakProtocol` the
// server announces version 1 on connect (t-x-takp-v); a request (t-x-takp-q) is answered (t-x-takp-r)
// whether announced or not. Alerts go back to every connected TAK client as CoT markers, in the
// connection's protocol.
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { isLinderoError } from '../../model/index.js';
import { alertToCot, alertToTakFrame, CotStreamSplitter, DEFAULT_MAX_COT_BYTES, parseCot, parseTakPayload, positionlessEmergencyOf, TAK_PROTOCOL_VERSION, type AlertMarkerInput, type CotFix, type Fix, type TimeWindow } from '../../ingest/index.js';
import type { PositionlessEmergency } from '../../model/index.js';
import { raiseEmergencies } from './emergencies.js';
import type { StoredAlert } from '../../store/index.js';
import type { DeviceCredential } from '../../trust/index.js';
import { alertMessage } from '../../answer/index.js';
import type { EventHub } from '../../live/index.js';
import { ownedFixes } from '../device-auth.js';
import type { Pipeline } from '../../live/index.js';
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
  /** Announce TAK protocol version 1 to each client on connect, as TAK servers do. Default false. */
  offerTakProtocol?: boolean;
}

/** The TAK protocol each connection speaks towards the client: 0 (XML) until it negotiates 1. */
const protocolOf = new WeakMap<Socket, number>();

/** The CoT marker for a stored alert, remarks in English and Spanish. */
export function alertCot(alert: StoredAlert): string {
  return alertToCot(alertMarker(alert));
}

function alertMarker(alert: StoredAlert): AlertMarkerInput {
  return {
    id: alert.id, kind: alert.kind, unit: alert.unit, name: alert.name, time: alert.time,
    lat: alert.determination.lat, lon: alert.determination.lon,
    // An assumed accuracy is not the fix's: the marker says unknown (ce 9999999) rather than claim it.
    accuracyM: alert.determination.accuracyAssumed ? undefined : alert.determination.accuracyM,
    remarksEn: alertMessage(alert, 'en'), remarksEs: alertMessage(alert, 'es'),
  };
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
    const marker = alertMarker(event.alert);
    let text: string | undefined;
    let frame: Uint8Array | undefined;
    for (const socket of listener.connections) {
      // A client that does not read its socket misses alerts rather than holding the server's memory.
      if (!socket.writable || socket.writableLength > maxQueuedBytes) continue;
      if (protocolOf.get(socket) === TAK_PROTOCOL_VERSION) socket.write((frame ??= alertToTakFrame(marker)));
      else socket.write((text ??= alertToCot(marker)));
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
    let emergencies: PositionlessEmergency[] = [];
    const markers: CotFix[] = [];
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
        if (item.kind === 'event' && item.xml.includes('t-x-takp-q')) {
          answerProtocolRequest(socket, item.xml);
          continue;
        }
        const parseOptions = { maxBytes: options.maxEventBytes, time: options.time };
        const cot = item.kind === 'proto' ? parseTakPayload(item.payload, parseOptions) : parseCot(item.xml, parseOptions);
        // Only a device's own reports are units; map items and lindero's own markers never are.
        if (cot.role === 'unit') fixes.push(cot.fix);
        else if (cot.role === 'positionless-emergency') emergencies.push(positionlessEmergencyOf(cot));
        else markers.push(cot);
      } catch (e) {
        if (!isLinderoError(e)) throw e;
        // Pings and chat are normal traffic, not errors.
        if (e.code !== 'cot-not-position') note(e.code, `byte ${item.byte}: ${e.describe()}`);
      }
    }
    gate.received(items.length);
    if (device) fixes = ownedFixes(fixes, device, { listener, address }, log);
    if (device && emergencies.length > 0) emergencies = ownedFixes(emergencies, device, { listener, address }, log);
    if (markers.length > 0) pipeline.markers.note(markers);
    if (fixes.length === 0) {
      if (emergencies.length > 0) void raiseEmergencies(pipeline, emergencies, { listener, address }, log);
      return;
    }
    gate.storing(fixes.length);
    pipeline.ingest(fixes)
      .catch((e: unknown) => log.error({ err: e, listener, address, fixes: fixes.length }, 'fixes could not be stored'))
      .finally(() => {
        gate.stored(fixes.length);
        if (emergencies.length > 0) void raiseEmergencies(pipeline, emergencies, { listener, address }, log);
      });
  };
  if (options.offerTakProtocol) socket.write(takControlEvent('t-x-takp-v', `<TakProtocolSupport version="${TAK_PROTOCOL_VERSION}"/>`));
  socket.on('data', (chunk: Buffer) => handle(splitter.push(chunk)));
  socket.on('end', () => {
    handle(splitter.end());
    socket.end();
  });
  socket.on('close', () => {
    if (skipped.size > 0) log.info({ listener, address, skipped: Object.fromEntries(skipped) }, 'connection closed; some input was skipped');
  });
}

/** A TAK protocol control event (negotiation), XML, as protocol.txt writes them. */
function takControlEvent(type: string, control: string, uid = `lindero-takp-${Date.now()}`): string {
  const now = new Date();
  const time = now.toISOString();
  const stale = new Date(now.getTime() + 60_000).toISOString();
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<event version="2.0" uid="${uid}" type="${type}" time="${time}" start="${time}" stale="${stale}" how="m-g"><point lat="0.0" lon="0.0" hae="0.0" ce="999999" le="999999"/><detail><TakControl>${control}</TakControl></detail></event>`;
}

/**
 * A client's t-x-takp-q: version 1 is accepted (status true), after which the server writes only version 1
 * frames to it; any other version is refused (status false) and the connection stays XML.
 */
function answerProtocolRequest(socket: Socket, xml: string): void {
  const version = /<TakRequest\s[^>]*version\s*=\s*["'](\d{1,3})["']/.exec(xml)?.[1];
  const uid = /\buid\s*=\s*["']([A-Za-z0-9._:-]{1,128})["']/.exec(xml)?.[1];
  const accepted = Number(version) === TAK_PROTOCOL_VERSION;
  if (socket.writable) socket.write(takControlEvent('t-x-takp-r', `<TakResponse status="${accepted}"/>`, uid));
  if (accepted) protocolOf.set(socket, TAK_PROTOCOL_VERSION);
}
