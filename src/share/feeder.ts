// Feeds each partner's outbox from the store's own record of accepted fixes and alerts (its events in
// seq order), through the policy. Reading the store, not the live events, is what makes a crash lose
// nothing: the cursor moves in the same transaction as the records it produced.
import type { Store } from '../store/index.js';
import { tagsOf, type PartnerConfig, type ShareConfig } from './config.js';
import { recordsForEvent, type Outbound } from './policy.js';
import type { ShareTables } from './share-db.js';

const BATCH = 500;

export interface FeederDeps {
  config: ShareConfig;
  store: Store;
  db: ShareTables;
  now: () => number;
  /** Called with the partners whose outbox gained records. */
  onReleased: (partners: string[]) => void;
  onError: (error: unknown) => void;
  /** Whether the feed runs here now (on several nodes, on the one holding the partner links). */
  active: () => boolean;
}

export class Feeder {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly tags: (unit: string) => readonly string[];

  constructor(private readonly deps: FeederDeps) {
    this.tags = (unit) => tagsOf(deps.config.unitTags, unit);
  }

  /** Runs the feed now (or right after the run in progress); coalesces bursts of calls. */
  wake(): void {
    if (this.closed || !this.deps.active()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async run(): Promise<void> {
    const released: string[] = [];
    try {
      for (const partner of this.deps.config.partners) {
        if (await this.feed(partner)) released.push(partner.name);
      }
    } catch (e) {
      this.deps.onError(e);
    }
    if (released.length > 0) this.deps.onReleased(released);
    await this.schedule().catch((e: unknown) => this.deps.onError(e));
  }

  /** Brings one partner's outbox up to the store's end; true when records were released. */
  private async feed(partner: PartnerConfig): Promise<boolean> {
    const { db, store } = this.deps;
    let released = (await db.release(partner.name, this.deps.now())) > 0;
    for (;;) {
      const cursor = (await db.link(partner.name)).store_cursor;
      const events = await store.eventsAfter(cursor, BATCH);
      if (events.length === 0 || this.closed) return released;
      const shared = await db.sharedUnits(partner.name);
      const out: Outbound[] = [];
      for (const event of events) out.push(...recordsForEvent(partner.policy, this.tags, event, shared, partner.name));
      const queued = await db.enqueue(partner.name, out, cursor, events[events.length - 1].seq, shared, this.deps.now());
      if (queued === null) return released;
      if (queued > 0) released = true;
      if (events.length < BATCH) return released;
    }
  }

  /** Wakes again when the earliest delayed record falls due. */
  private async schedule(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const due = await this.deps.db.nextDueMs();
    if (due === null || this.closed) return;
    this.timer = setTimeout(() => this.wake(), Math.max(0, due - this.deps.now()) + 5);
    this.timer.unref();
  }
}
