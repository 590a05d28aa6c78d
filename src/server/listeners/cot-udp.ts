// Cursor-on-Target over UDP (default port 6969): one event per datagram, as TAK clients send their
// position in "mesh" mode, as XML or as TAK protocol version 1 (protobuf). Datagrams are parsed on arrival and stored together once per event-loop turn.
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { isLinderoError } from '../../model/index.js';
import { DEFAULT_MAX_COT_BYTES, parseCot, parseTakDatagram, positionlessEmergencyOf, TAK_MAGIC, type Fix, type TimeWindow } from '../../ingest/index.js';
import { raiseEmergencies } from './emergencies.js';
import type { Pipeline } from '../../live/index.js';
import { BucketsByAddress } from './token-bucket.js';

export interface CotUdpOptions {
  host: string;
  port: number;
  /** Largest datagram parsed, bytes. Default 64 KiB (a UDP datagram cannot be larger). */
  maxEventBytes?: number;
  /** Datagrams per second from one address; the rest are dropped. Default 2,000. */
  datagramsPerSecond?: number;
  time?: TimeWindow;
}

export interface UdpListener {
  readonly port: number;
  /** Datagrams taken as fixes, as markers (not units), and dropped by reason. */
  readonly counts: { fixes: number; markers: number; dropped: Map<string, number> };
  close(): Promise<void>;
}

export async function listenCotUdp(options: CotUdpOptions, pipeline: Pipeline, log: FastifyBaseLogger): Promise<UdpListener> {
  const maxBytes = options.maxEventBytes ?? DEFAULT_MAX_COT_BYTES;
  const rate = options.datagramsPerSecond ?? 2000;
  const buckets = new BucketsByAddress(rate, rate);
  const counts = { fixes: 0, markers: 0, dropped: new Map<string, number>() };
  const drop = (code: string, address: string, message: string) => {
    const n = (counts.dropped.get(code) ?? 0) + 1;
    counts.dropped.set(code, n);
    if (n === 1 || n % 1000 === 0) log.info({ listener: 'cot-udp', address, code, count: n }, message);
  };
  let batch: Fix[] = [];
  const flush = () => {
    const fixes = batch;
    batch = [];
    pipeline.ingest(fixes).catch((e: unknown) => log.error({ err: e, listener: 'cot-udp', fixes: fixes.length }, 'fixes could not be stored'));
  };
  const socket: Socket = createSocket({ type: isIP(options.host) === 6 ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  socket.on('error', (e) => log.error({ err: e, listener: 'cot-udp' }, 'listener error'));
  socket.on('message', (message, remote) => {
    if (!buckets.tryTake(remote.address)) return drop('rate-limited', remote.address, `more than ${rate} datagrams per second from one address; dropping the excess`);
    if (message.length > maxBytes) return drop('cot-too-large', remote.address, `datagram of ${message.length} bytes is over the ${maxBytes}-byte limit`);
    try {
      // TAK protocol version 1 (protobuf) starts with 0xbf; XML with '<', a BOM or whitespace.
      const cot = message[0] === TAK_MAGIC ? parseTakDatagram(message, { maxBytes, time: options.time }) : parseCot(message, { maxBytes, time: options.time });
      if (cot.role === 'positionless-emergency') {
        // After the datagrams already batched are stored: the unit's last known position is then the newest.
        const emergency = positionlessEmergencyOf(cot);
        setImmediate(() => void raiseEmergencies(pipeline, [emergency], { listener: 'cot-udp', address: remote.address }, log));
        return;
      }
      // Only a device's own reports are units; map items and lindero's own markers never are.
      if (cot.role !== 'unit') {
        counts.markers += 1;
        pipeline.markers.note([cot]);
        return;
      }
      const fix = cot.fix;
      counts.fixes += 1;
      if (batch.length === 0) setImmediate(flush);
      batch.push(fix);
    } catch (e) {
      if (!isLinderoError(e)) throw e;
      if (e.code !== 'cot-not-position') drop(e.code, remote.address, e.describe());
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    port: socket.address().port,
    counts,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
