// One authenticated link with a partner, both ways over one WebSocket. Each side sends its outbox in
// sequence order from where the other says it stopped, at most WINDOW records ahead of the last
// acknowledgement; the receiver stores a batch in one transaction, then acknowledges its last
// sequence number (cumulative, as TCP does). Resuming from the receiver's stored number on every
// new connection is what keeps a record from being lost or stored twice.
import type { WebSocket } from 'ws';
import { CLOSE, openFrame, signFrame, type SessionKeys } from './handshake.js';

export { CLOSE };
import type { Inbox } from './link-handshake.js';
import { recordProblem, type ShareRecord } from './records.js';
import type { MessageRow, Received, ShareDb } from './share-db.js';

/** Records sent and not yet acknowledged, at most. */
const WINDOW = 256;
const HEARTBEAT_MS = 15_000;


export interface SessionHost {
  db: ShareDb;
  now(): number;
  onReceived(partner: string, stored: Received[]): void;
  onDelivered(partner: string, messages: MessageRow[]): void;
  onClosed(session: LinkSession, code: number, reason: string): void;
}

export class LinkSession {
  private sendCounter = 0;
  private receiveCounter = 0;
  private sentSeq: number;
  private ackedSeq: number;
  private incoming: Received[] = [];
  private flushScheduled = false;
  private heartbeat: NodeJS.Timeout;
  private alive = true;
  closed = false;
  readonly openedMs: number;

  constructor(
    readonly partner: string,
    /** Which side dialled: decides which of two simultaneous links is kept. */
    readonly dialledBy: string,
    private readonly socket: WebSocket,
    private readonly keys: SessionKeys,
    peerReceivedSeq: number,
    private readonly host: SessionHost,
    inbox: Inbox,
  ) {
    this.openedMs = host.now();
    const acked = host.db.link(partner).acked_seq;
    // What the partner says it has stored is acknowledged, even if its ack was lost with the last link.
    if (peerReceivedSeq > acked) host.onDelivered(partner, host.db.acknowledge(partner, peerReceivedSeq, host.now()));
    this.sentSeq = peerReceivedSeq;
    this.ackedSeq = peerReceivedSeq;
    inbox.handOver((data, isBinary) => this.onMessage(isBinary ? null : String(data)));
    socket.on('close', (code, reason) => this.finish(code, reason.toString('utf8')));
    socket.on('error', () => socket.terminate());
    socket.on('pong', () => { this.alive = true; });
    this.heartbeat = setInterval(() => {
      if (!this.alive) return socket.terminate();
      this.alive = false;
      socket.ping();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get status() {
    return { sentSeq: this.sentSeq, ackedSeq: this.ackedSeq, openedMs: this.openedMs };
  }

  /** Sends outbox records the partner has not yet been sent, within the window. */
  pump(): void {
    if (this.closed) return;
    while (this.sentSeq - this.ackedSeq < WINDOW) {
      const rows = this.host.db.outboxAfter(this.partner, this.sentSeq, WINDOW - (this.sentSeq - this.ackedSeq));
      if (rows.length === 0) return;
      for (const row of rows) this.send(`{"t":"rec","seq":${row.seq},"rec":${row.body_json}}`);
      this.sentSeq = rows[rows.length - 1].seq;
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason.slice(0, 120));
    this.finish(code, reason);
  }

  private send(json: string): void {
    this.socket.send(signFrame(this.keys.send, ++this.sendCounter, json));
  }

  private onMessage(text: string | null): void {
    if (this.closed) return;
    const json = text === null ? null : openFrame(this.keys.receive, ++this.receiveCounter, text);
    if (json === null) return this.close(CLOSE.auth, 'frame signature does not match');
    let frame: { t?: unknown; seq?: unknown; rec?: unknown };
    try {
      frame = JSON.parse(json) as typeof frame;
    } catch {
      return this.close(CLOSE.protocol, 'frame is not JSON');
    }
    const seq = frame.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return this.close(CLOSE.protocol, 'frame without a valid seq');
    if (frame.t === 'rec') return this.onRecord(seq, frame.rec);
    if (frame.t === 'ack') return this.onAck(seq);
    this.close(CLOSE.protocol, `unknown frame type ${JSON.stringify(frame.t)?.slice(0, 20)}`);
  }

  private onRecord(seq: number, rec: unknown): void {
    const problem = recordProblem(rec);
    this.incoming.push({ seq, record: problem ? null : (rec as ShareRecord), problem, text: JSON.stringify(rec) ?? 'null' });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Frames that arrived together are stored in one transaction and acknowledged once.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.incoming;
    this.incoming = [];
    if (this.closed || batch.length === 0) return;
    let result: ReturnType<ShareDb['receive']>;
    try {
      result = this.host.db.receive(this.partner, batch, this.host.now());
    } catch (e) {
      return this.close(CLOSE.protocol, (e as Error).message);
    }
    this.send(`{"t":"ack","seq":${result.receivedSeq}}`);
    if (result.stored.length > 0) this.host.onReceived(this.partner, result.stored);
  }

  private onAck(seq: number): void {
    if (seq > this.sentSeq) return this.close(CLOSE.protocol, `acknowledgement of ${seq}, beyond the ${this.sentSeq} sent`);
    if (seq <= this.ackedSeq) return;
    this.ackedSeq = seq;
    const delivered = this.host.db.acknowledge(this.partner, seq, this.host.now());
    if (delivered.length > 0) this.host.onDelivered(this.partner, delivered);
    this.pump();
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    // Records received but not yet stored are not acknowledged: the partner sends them again.
    this.incoming = [];
    this.host.onClosed(this, code, reason);
  }
}
