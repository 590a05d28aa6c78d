/**
 * A token bucket: `ratePerSecond` tokens accrue up to `burst`. Taking may overdraw the bucket, so a
 * burst already received is still handled; the caller then waits waitMs() before reading more.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(private readonly ratePerSecond: number, private readonly burst: number, private readonly now: () => number = () => performance.now()) {
    this.tokens = burst;
    this.lastMs = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.lastMs) * this.ratePerSecond) / 1000);
    this.lastMs = t;
  }

  /** Takes n tokens if there are that many. */
  tryTake(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Takes n tokens, going into debt if need be. */
  take(n: number): void {
    this.refill();
    this.tokens -= n;
  }

  /** Whether the bucket has refilled completely (it then behaves as a new one). */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  /** How long until the bucket is out of debt, ms (0 when it is not in debt). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
  }
}

/** One bucket per source address, forgetting addresses idle long enough to have a full bucket again. */
export class BucketsByAddress {
  private readonly buckets = new Map<string, TokenBucket>();
  private sweepAtMs = 0;

  constructor(private readonly ratePerSecond: number, private readonly burst: number, private readonly maxAddresses = 100_000) {}

  tryTake(address: string, n = 1): boolean {
    let bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= this.maxAddresses) this.sweep(true);
      bucket = new TokenBucket(this.ratePerSecond, this.burst);
      this.buckets.set(address, bucket);
    }
    const ok = bucket.tryTake(n);
    const now = performance.now();
    if (now >= this.sweepAtMs) {
      this.sweepAtMs = now + 60_000;
      this.sweep(false);
    }
    return ok;
  }

  /** Drops buckets that are full again (they would behave as new ones); with `all`, drops every bucket. */
  private sweep(all: boolean): void {
    for (const [address, bucket] of this.buckets) if (all || bucket.isFull()) this.buckets.delete(address);
  }
}
