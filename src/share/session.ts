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
import type { MessageRow, Received, ShareTables } from './share-db.js';

/** Records sent and not yet acknowledged, at most. */
const WINDOW = 256;
const HEARTBEAT_MS = 15_000;


export interface SessionHost {
  db: ShareTables;
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
  /** A batch being stored: the next waits for it, so batches are stored and acknowledged in order. */
  private flushing = false;
  /** A pump under way, and whether another was asked for meanwhile. */
  private pumping = false;
  private pumpAgain = false;
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
    // What the partner says it has stored is acknowledged, even if its ack was lost with the last link.
    if (peerReceivedSeq > 0) this.acknowledge(peerReceivedSeq);
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

  /** Sends outbox records the partner has not yet been sent, within the window (one pump at a time). */
  pump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.pumpOnce().catch((e: unknown) => this.close(CLOSE.internal, `cannot read the outbox: ${(e as Error).message}`)).finally(() => {
      this.pumping = false;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.pump();
      }
    });
  }

  private async pumpOnce(): Promise<void> {
    while (!this.closed && this.sentSeq - this.ackedSeq < WINDOW) {
      const rows = await this.host.db.outboxAfter(this.partner, this.sentSeq, WINDOW - (this.sentSeq - this.ackedSeq));
      if (rows.length === 0 || this.closed) return;
      for (const row of rows) this.send(`{"t":"rec","seq":${row.seq},"rec":${row.body_json}}`);
      this.sentSeq = rows[rows.length - 1].seq;
    }
  }

  /** Records the partner's acknowledgement; the messages it delivered are announced. */
  private acknowledge(seq: number): void {
    this.host.db.acknowledge(this.partner, seq, this.host.now()).then((delivered) => {
      if (delivered.length > 0) this.host.onDelivered(this.partner, delivered);
    }, (e: unknown) => this.close(CLOSE.internal, `cannot store an acknowledgement: ${(e as Error).message}`));
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
    if (this.flushing || this.closed || this.incoming.length === 0) return;
    const batch = this.incoming;
    this.incoming = [];
    this.flushing = true;
    this.host.db.receive(this.partner, batch, this.host.now()).then((result) => {
      // Stored is stored: shown (and its messages chained) even when the link closed meanwhile; only the
      // acknowledgement has no link to go on (the partner resends, and the records are not stored twice).
      if (!this.closed) this.send(`{"t":"ack","seq":${result.receivedSeq}}`);
      if (result.stored.length > 0) this.host.onReceived(this.partner, result.stored);
    }, (e: unknown) => {
      // A gap in the sequence is the partner's fault; a store that fails is ours: either way nothing is acknowledged.
      const code = (e as { code?: unknown }).code === 'share-sequence' ? CLOSE.protocol : CLOSE.internal;
      this.close(code, (e as Error).message);
    }).finally(() => {
      this.flushing = false;
      // Frames that arrived while the batch was stored.
      this.flush();
    });
  }

  private onAck(seq: number): void {
    if (seq > this.sentSeq) return this.close(CLOSE.protocol, `acknowledgement of ${seq}, beyond the ${this.sentSeq} sent`);
    if (seq <= this.ackedSeq) return;
    this.ackedSeq = seq;
    this.acknowledge(seq);
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
