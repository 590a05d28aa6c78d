// Units' live rules on several nodes: each of the RULE_BUCKETS buckets (unit-buckets.ts) is leased in
// rule_buckets to one node until expires_at, by the database's clock. Every LEASE_RENEW_MS a node renews
// its row in rule_nodes and its buckets, counts the nodes alive, and takes buckets that are free or
// expired up to its fair share (all of them when alone), or lets go of those beyond it so a node that
// joined can take them. A node that dies stops renewing: its buckets expire after LEASE_TTL_MS and the
// others take them on their next round. A node that cannot renew stops using its buckets before their
// lease can have expired in the database (it counts from before its last renewal was sent).
import pg from 'pg';
import { RULE_BUCKETS } from './unit-buckets.js';
import type { UnitLeaseChange, UnitLeases } from './store.js';

/** How often a node renews its leases and looks for buckets to take, ms. */
export const LEASE_RENEW_MS = 2000;
/** How long a lease lasts unless renewed, ms. */
export const LEASE_TTL_MS = 6000;
/** Margin kept against the database's clock running a little faster than this node's, ms. */
const CLOCK_MARGIN_MS = 500;

export interface PgUnitLeasesOptions {
  url: string;
  /** This node's id (the store's writer id). */
  node: string;
  onChange(change: UnitLeaseChange): void;
  onError?(error: unknown): void;
  renewMs?: number;
  ttlMs?: number;
}

/** The number of buckets each of `nodes` live nodes may hold: together they cover every bucket. */
export function fairShare(nodes: number): number {
  return Math.ceil(RULE_BUCKETS / Math.max(1, nodes));
}

export class PgUnitLeases implements UnitLeases {
  private readonly held = new Set<number>();
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Checks, also while a round hangs on an unanswering database, that the leases are still surely held. */
  private watchdog: NodeJS.Timeout | null = null;
  private stopped = false;
  /** This node's clock time until which its buckets are surely still its own. */
  private validUntilMs = 0;
  private round: Promise<void> = Promise.resolve();
  private readonly renewMs: number;
  private readonly ttlMs: number;

  constructor(private readonly options: PgUnitLeasesOptions) {
    this.renewMs = options.renewMs ?? LEASE_RENEW_MS;
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  }

  get owned(): ReadonlySet<number> {
    return this.held;
  }

  owns(bucket: number): boolean {
    return this.held.has(bucket);
  }

  /** Runs the first round (so a node alone owns every bucket once this resolves), then one every renewMs. */
  async start(): Promise<void> {
    await this.runRound();
    this.schedule();
    this.watchdog = setInterval(() => this.expireIfStale(), Math.max(100, Math.floor(this.renewMs / 4)));
    this.watchdog.unref();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runRound().finally(() => this.schedule());
    }, this.renewMs);
    this.timer.unref();
  }

  private runRound(): Promise<void> {
    this.round = this.round.then(() => this.renewAndBalance()).catch((e: unknown) => {
      this.dropClient();
      this.options.onError?.(e);
    }).finally(() => this.expireIfStale());
    return this.round;
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    // Named so an operator (or a test) can tell from pg_stat_activity which process is which node.
    const client = new pg.Client({ connectionString: this.options.url, application_name: `lindero rules ${this.options.node} pid ${process.pid}` });
    client.on('error', () => this.dropClient());
    await client.connect();
    this.client = client;
    return client;
  }

  private dropClient(): void {
    const client = this.client;
    this.client = null;
    void client?.end().catch(() => undefined);
  }

  /** One round: renew, count the living, then take or let go to reach this node's fair share. */
  private async renewAndBalance(): Promise<void> {
    if (this.stopped) return;
    const client = await this.connect();
    const sentMs = Date.now();
    const ttl = `${this.ttlMs} milliseconds`;
    await client.query('BEGIN');
    try {
      await client.query("INSERT INTO rule_nodes (node, expires_at) VALUES ($1, now() + $2::interval) ON CONFLICT (node) DO UPDATE SET expires_at = excluded.expires_at", [this.options.node, ttl]);
      const renewed = await client.query<{ bucket: number }>('UPDATE rule_buckets SET expires_at = now() + $2::interval WHERE owner = $1 RETURNING bucket', [this.options.node, ttl]);
      const alive = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM rule_nodes WHERE expires_at > now()');
      const mine = new Set(renewed.rows.map((r) => r.bucket));
      const share = fairShare(alive.rows[0].n);
      let taken: number[] = [];
      let released: number[] = [];
      if (mine.size < share) {
        taken = (await client.query<{ bucket: number }>(`UPDATE rule_buckets SET owner = $1, expires_at = now() + $2::interval WHERE bucket IN (
          SELECT bucket FROM rule_buckets WHERE owner IS NULL OR expires_at <= now() ORDER BY bucket LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING bucket`,
        [this.options.node, ttl, share - mine.size])).rows.map((r) => r.bucket);
      } else if (mine.size > share) {
        released = [...mine].sort((a, b) => b - a).slice(0, mine.size - share);
      }
      // Let go here first, then in the database: this node never runs rules it no longer holds. What it
      // renewed or took it uses once that is committed.
      if (released.length > 0) {
        for (const b of released) mine.delete(b);
        this.apply(new Set([...this.held].filter((b) => !released.includes(b))));
        await client.query("UPDATE rule_buckets SET owner = NULL, expires_at = '-infinity' WHERE owner = $1 AND bucket = ANY($2::int[])", [this.options.node, released]);
      }
      await client.query('COMMIT');
      this.validUntilMs = sentMs + this.ttlMs - CLOCK_MARGIN_MS;
      this.apply(new Set([...mine, ...taken]));
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Brings the buckets held here to `now`, and tells of the change. */
  private apply(now: Set<number>): void {
    const lost = [...this.held].filter((b) => !now.has(b));
    const gained = [...now].filter((b) => !this.held.has(b));
    for (const b of lost) this.held.delete(b);
    for (const b of gained) this.held.add(b);
    if (lost.length > 0 || gained.length > 0) this.options.onChange({ gained: gained.sort((a, b) => a - b), lost: lost.sort((a, b) => a - b) });
  }

  /** Without a renewal in time, this node's leases may have expired: it stops using them. */
  private expireIfStale(): void {
    if (this.held.size === 0 || Date.now() < this.validUntilMs) return;
    const lost = [...this.held].sort((a, b) => a - b);
    this.held.clear();
    this.options.onChange({ gained: [], lost });
  }

  /** Lets every bucket go at once (the other nodes take them on their next round) and stops. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    await this.round;
    const lost = [...this.held].sort((a, b) => a - b);
    this.held.clear();
    if (lost.length > 0) this.options.onChange({ gained: [], lost });
    const client = this.client;
    if (!client) return;
    try {
      await client.query("UPDATE rule_buckets SET owner = NULL, expires_at = '-infinity' WHERE owner = $1", [this.options.node]);
      await client.query('DELETE FROM rule_nodes WHERE node = $1', [this.options.node]);
    } catch {
      // Unreachable: the leases expire on their own.
    } finally {
      this.dropClient();
    }
  }
}
