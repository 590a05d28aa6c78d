// NMEA 0183 over TCP (default port 10110, the IANA port for NMEA-0183 over TCP/UDP).
//
// NMEA carries no unit id, so the connection must name its unit, and lindero never guesses:
//   - a line `UNIT <name>` (plain text, e.g. typed into netcat or sent by a bridge), or
//   - the proprietary sentence `$PLIND,<name>*hh` (checksum checked, for devices that only speak NMEA), or
//   - the remote address mapped to a unit in the configuration (`--nmea-unit ADDRESS=NAME`; open devices only).
// A naming line overrides the address map and may be sent again to switch units. Sentences from
// a connection with no unit are refused and the client is told why, in a line starting "ERROR".
//
// The credential: a line `TOKEN <device token>` (the token `lindero device add` gave) makes the
// connection that device's: it names the device's unit when it has one, and a naming line may then
// name only the units the device is enrolled for. Where devices must be enrolled (beyond loopback
// without --allow-open-devices) nothing is taken before a good token, the address map is not used,
// three bad tokens end the connection, and revoking the device closes it at once.
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { isLinderoError } from '../../model/index.js';
import { MAX_UNIT_CHARS, NMEA_MAX_LINE_CHARS, NmeaAssembler, parseNmeaLine, type Fix, type TimeWindow } from '../../ingest/index.js';
import type { Pipeline } from '../../live/index.js';
import type { DeviceCredential, TrustRegistry } from '../../trust/index.js';
import { mayReport } from '../../trust/index.js';
import { notEnrolled } from '../device-auth.js';
import { LineSplitter, type LineItem } from './lines.js';
import { closeOnRevocation } from './revocation.js';
import { DEFAULT_IDLE_TIMEOUT_MS, listenTcp, ReadGate, type TcpListener, type TcpListenerOptions } from './tcp.js';
import { TokenBucket } from './token-bucket.js';

export interface NmeaTcpOptions extends TcpListenerOptions {
  /** Remote address → unit, for receivers that cannot name themselves. */
  units?: Record<string, string>;
  /** Lines per second one connection may send before it is slowed down. Default 500. */
  linesPerSecond?: number;
  /** Quiet time after which the epoch in progress is complete, ms. Default 250. */
  epochFlushMs?: number;
  /** The live time rule, as for every live source (default: a year old to 10 minutes ahead). */
  time?: TimeWindow;
  /** Whether sentences may come without a device token (loopback, or --allow-open-devices). Default true. */
  devicesOpen?: boolean;
  /** Where device tokens are checked; without it, every token is refused. */
  trust?: TrustRegistry;
}

const TOKEN_LINE = /^TOKEN\s+(\S+)\s*$/i;
/** Bad tokens a connection may send before it is closed. */
const MAX_BAD_TOKENS = 3;
const NO_TOKEN = 'ERROR this port takes positions only from enrolled devices: send "TOKEN <device token>" (from `lindero device add`) first; these sentences were not stored';

const UNIT_LINE = /^UNIT\s+(.+?)\s*$/i;
const UNNAMED = 'ERROR no unit named for this connection: send "UNIT <name>" or "$PLIND,<name>*hh" first; these sentences were not stored';

/** The unit a naming line gives, a reason it is bad, or null for other lines. */
export function unitFromLine(text: string): { unit: string } | { error: string } | null {
  let name: string | undefined;
  const plain = UNIT_LINE.exec(text);
  if (plain) name = plain[1];
  else if (text.startsWith('$PLIND,')) {
    try {
      parseNmeaLine(text);
    } catch (e) {
      return { error: isLinderoError(e) ? e.message : String(e) };
    }
    const star = text.lastIndexOf('*');
    name = text.slice('$PLIND,'.length, star < 0 ? text.length : star).split(',')[0];
  } else return null;
  if (!name || name.length > MAX_UNIT_CHARS || /[\x00-\x1f\x7f]/.test(name)) {
    return { error: `a unit name must be 1 to ${MAX_UNIT_CHARS} printable characters` };
  }
  return { unit: name };
}

export async function listenNmeaTcp(options: NmeaTcpOptions, pipeline: Pipeline, log: FastifyBaseLogger): Promise<TcpListener> {
  const revocable = closeOnRevocation(options.trust, 'nmea-tcp', log);
  const listener = await listenTcp('nmea-tcp', options, log, (socket, address) =>
    new NmeaConnection(socket, address, options, pipeline, log, (device) => revocable.enrol(socket, device)));
  return { port: listener.port, connections: listener.connections, close: async () => { revocable.stop(); await listener.close(); } };
}

class NmeaConnection {
  private unit: string | null;
  private assembler: NmeaAssembler | null = null;
  private readonly lines = new LineSplitter(NMEA_MAX_LINE_CHARS);
  private readonly gate: ReadGate;
  /** Error replies are limited so that a garbage stream does not make the server a garbage source. */
  private readonly replies = new TokenBucket(2, 10);
  private flushTimer: NodeJS.Timeout | null = null;
  private refused = 0;
  private device: DeviceCredential | null = null;
  private badTokens = 0;
  private readonly open: boolean;

  constructor(
    private readonly socket: Socket, private readonly address: string, private readonly options: NmeaTcpOptions,
    private readonly pipeline: Pipeline, private readonly log: FastifyBaseLogger, private readonly enrolled: (device: DeviceCredential) => void,
  ) {
    this.open = options.devicesOpen ?? true;
    this.unit = this.open ? options.units?.[address] ?? null : null;
    if (this.unit) this.assembler = new NmeaAssembler({ unit: this.unit, source: 'nmea', time: options.time ?? {} });
    this.gate = new ReadGate(socket, options.linesPerSecond ?? 500, 10_000, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => this.handle(this.lines.push(chunk)));
    socket.on('end', () => {
      this.handle(this.lines.end());
      this.store(this.assembler?.flush() ?? []);
      socket.end();
    });
    socket.on('close', () => {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      if (this.refused > 0) log.info({ listener: 'nmea-tcp', address, refused: this.refused }, 'connection closed; sentences without a unit were refused');
    });
  }

  private reply(text: string): void {
    if (this.socket.writable && this.replies.tryTake()) this.socket.write(`${text}\r\n`);
  }

  private handle(items: LineItem[]): void {
    const events: ReturnType<NmeaAssembler['push']> = [];
    for (const item of items) {
      if (item.kind === 'overlong') {
        this.reply(`ERROR line ${item.line}: ${item.chars} characters without a line end; an NMEA sentence has at most 82`);
        continue;
      }
      const token = TOKEN_LINE.exec(item.text);
      if (token) {
        this.signIn(token[1], item.line, events);
        continue;
      }
      const naming = unitFromLine(item.text);
      if (naming && 'error' in naming) this.reply(`ERROR line ${item.line}: ${naming.error}`);
      else if (naming && this.device && !mayReport(this.device, naming.unit)) this.notEnrolled(naming.unit, item.line);
      else if (naming && !this.device && !this.open) this.refuse(NO_TOKEN);
      else if (naming) this.name(naming.unit, events);
      else if (!this.assembler) {
        if (item.text.trim() === '') continue;
        this.refuse(this.open || this.device ? UNNAMED : NO_TOKEN);
      } else events.push(...this.assembler.push(item.text, item.line));
    }
    this.gate.received(items.length);
    this.store(events);
    if (this.assembler) this.scheduleFlush();
  }

  private refuse(reply: string): void {
    this.refused += 1;
    this.reply(reply);
  }

  /** A TOKEN line: the connection becomes the device's (and names its unit when it has one), or is refused. */
  private signIn(token: string, line: number, events: ReturnType<NmeaAssembler['push']>): void {
    const device = this.options.trust?.deviceByToken(token) ?? null;
    if (!device) {
      this.badTokens += 1;
      this.log.warn({ listener: 'nmea-tcp', address: this.address, line }, 'unknown or revoked device token');
      this.reply(`ERROR line ${line}: the device token is not valid (unknown or revoked)`);
      if (this.badTokens >= MAX_BAD_TOKENS) this.socket.end();
      return;
    }
    this.device = device;
    this.enrolled(device);
    if (this.socket.writable) this.socket.write(`OK device ${device.name}\r\n`);
    // What was named before the token (by the address map or a naming line) must be the device's too.
    if (this.unit !== null && !mayReport(device, this.unit)) {
      if (this.assembler) events.push(...this.assembler.flush());
      this.unit = null;
      this.assembler = null;
    }
    if (this.unit === null && device.units.size === 1) this.name([...device.units][0], events);
  }

  private notEnrolled(unit: string, line: number): void {
    const device = this.device!;
    this.log.warn({ listener: 'nmea-tcp', address: this.address, device: device.name, unit, line }, 'a unit this device is not enrolled for: refused');
    this.reply(`ERROR line ${line}: ${notEnrolled(device, unit)}`);
  }

  private name(unit: string, events: ReturnType<NmeaAssembler['push']>): void {
    if (this.assembler) events.push(...this.assembler.flush());
    this.unit = unit;
    this.assembler = new NmeaAssembler({ unit, source: 'nmea', time: this.options.time ?? {} });
    if (this.socket.writable) this.socket.write(`OK unit ${unit}\r\n`);
  }

  /** Receivers send an epoch's sentences in one burst: a quiet spell means the epoch is complete. */
  private scheduleFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.store(this.assembler?.flush() ?? []);
    }, this.options.epochFlushMs ?? 250);
  }

  private store(events: ReturnType<NmeaAssembler['push']>): void {
    const fixes: Fix[] = [];
    for (const event of events) {
      if (event.kind === 'fix') fixes.push(event.fix);
      else this.reply(`ERROR ${event.line === undefined ? '' : `line ${event.line}: `}${event.reason}`);
    }
    if (fixes.length === 0) return;
    this.gate.storing(fixes.length);
    this.pipeline.ingest(fixes)
      .catch((e: unknown) => this.log.error({ err: e, listener: 'nmea-tcp', address: this.address }, 'fixes could not be stored'))
      .finally(() => this.gate.stored(fixes.length));
  }
}
