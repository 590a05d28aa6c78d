// Events written by other nodes. Each commit that gives out seq numbers notifies the channel
// `lindero_events` (PostgreSQL's NOTIFY, delivered to every listening connection when, and only if, the
// transaction commits) with the writer's id and the seq range it wrote; a node listening reads those
// records back and hands them on, so every node's dashboards, streams and TAK clients see every node's
// fixes and alerts. A notification lost while the listening connection was down is not replayed: the
// records are in the store all the same, and a reconnecting client reads them there.
import pg from 'pg';
import type { StoreEvent } from './store.js';

export const EVENTS_CHANNEL = 'lindero_events';

/** The payload of one commit's notification: writer id, first and last seq written. */
export function notifyPayload(writerId: string, firstSeq: number, lastSeq: number): string {
  return `${writerId}:${firstSeq}:${lastSeq}`;
}

export interface ForeignEventsDeps {
  url: string;
  types: pg.CustomTypesConfig;
  writerId: string;
  /** Records with seq in (afterSeq, …], in seq order, at most `limit`. */
  eventsAfter(afterSeq: number, limit: number): Promise<StoreEvent[]>;
  onEvents(events: StoreEvent[]): void;
  onError(error: unknown): void;
}

/**
 * One connection LISTENing on a channel, connected again after a pause when it is lost (a restarted or
 * promoted server); what was notified meanwhile is not replayed. stop() ends it.
 */
export class ChannelListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly types: pg.CustomTypesConfig,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, types: this.types });
    client.on('error', (e) => this.lost(client, e));
    client.on('notification', (message) => {
      if (!this.stopped && message.channel === this.channel) this.onPayload(message.payload ?? '');
    });
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.onError(error);
    this.retry = setTimeout(() => void this.start().catch((e: unknown) => this.lost(this.client ?? client, e)), 1000);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

/** Listens for other writers' commits and reads their records; stop() ends it. */
export class ForeignEvents {
  private readonly listener: ChannelListener;
  private stopped = false;
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ForeignEventsDeps) {
    this.listener = new ChannelListener(deps.url, deps.types, EVENTS_CHANNEL, (payload) => this.notified(payload), deps.onError);
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  private notified(payload: string): void {
    const [writer, first, last] = payload.split(':');
    if (writer === this.deps.writerId || this.stopped) return;
    const firstSeq = Number(first);
    const lastSeq = Number(last);
    if (!Number.isSafeInteger(firstSeq) || !Number.isSafeInteger(lastSeq) || lastSeq < firstSeq) return;
    // In the order notified (commit order), one range after another.
    this.reading = this.reading.then(() => this.read(firstSeq, lastSeq)).catch((e: unknown) => this.deps.onError(e));
  }

  private async read(firstSeq: number, lastSeq: number): Promise<void> {
    for (let after = firstSeq - 1; after < lastSeq;) {
      const page = (await this.deps.eventsAfter(after, 1000)).filter((e) => e.seq <= lastSeq);
      if (page.length === 0) return;
      this.deps.onEvents(page);
      after = page[page.length - 1].seq;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reading;
    await this.listener.stop();
  }
}
