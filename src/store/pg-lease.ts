// One node at a time: a job several nodes could run (the incident rule) runs on the node that holds
// PostgreSQL's session advisory lock for it. The lock is held on a connection of the lease's own, so it
// lasts exactly as long as that node's session: a node that dies (or loses its connection) lets it go at
// once, and another node's next try takes it over.
import pg from 'pg';

/** How often a node without the lock tries for it, ms. */
export const LEASE_TRY_MS = 2000;

export interface Lease {
  /** Whether this node holds it now. */
  readonly held: boolean;
  stop(): Promise<void>;
}

export class PgLease implements Lease {
  held = false;
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly url: string, private readonly name: string, private readonly onChange: (held: boolean) => void) {}

  /** Tries now, and again every LEASE_TRY_MS while another node holds it. */
  async start(): Promise<void> {
    await this.attempt();
  }

  private async attempt(): Promise<void> {
    if (this.stopped || this.held) return;
    try {
      if (!this.client) {
        const client = new pg.Client({ connectionString: this.url });
        client.on('error', () => this.lost(client));
        client.on('end', () => this.lost(client));
        await client.connect();
        this.client = client;
      }
      const { rows } = await this.client.query<{ got: boolean }>("SELECT pg_try_advisory_lock(hashtext('lindero:' || $1)) AS got", [this.name]);
      if (rows[0]?.got && !this.stopped) {
        this.held = true;
        this.onChange(true);
        return;
      }
    } catch {
      // Unreachable or restarting: try again on the next round.
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.attempt(), LEASE_TRY_MS);
    this.timer.unref();
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    if (this.held) {
      this.held = false;
      this.onChange(false);
    }
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    this.held = false;
    // Ending the session releases the lock.
    await client?.end().catch(() => undefined);
  }
}
