/**
 * Token buckets in process memory, per key (an IP, a project). With several api replicas each enforces its own
 * share; that bounds abuse per replica without a round trip per request.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `ratePerSecond` tokens refill per second; bursts up to `burstSeconds` worth. */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burstSeconds = 2,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait before retrying. */
  take(key: string, now = Date.now()): number {
    const capacity = this.ratePerSecond * this.burstSeconds;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evictFull(now);
      bucket = { tokens: capacity, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }

  /** Drops buckets that have refilled (they carry no state worth keeping). */
  private evictFull(now: number): void {
    const capacity = this.ratePerSecond * this.burstSeconds;
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.ratePerSecond >= capacity) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
