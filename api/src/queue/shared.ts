/** Defaults and checks shared by both queue implementations, so they cannot drift apart. */

/** Attempts per job when `QueueOptions.attempts` is not given. */
export const DEFAULT_ATTEMPTS = 5;
/** First retry delay when `QueueOptions.backoffMs` is not given. */
export const DEFAULT_BACKOFF_MS = 500;
/** Failed jobs kept for inspection; older ones are dropped so a poison feed cannot grow memory or Redis unbounded. */
export const DEFAULT_FAILED_KEPT = 1000;
/** How long `drained()` waits when no timeout is given. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

/** Delay before retry number `attemptsMade` (1-based), the same curve as BullMQ's `exponential` backoff. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return Math.round(backoffMs * 2 ** (attemptsMade - 1));
}

/** BullMQ uses `:` as its key separator, so the memory queue rejects it too: a name valid in one mode is valid in both. */
export function assertQueueName(name: string): void {
  if (!name || name.includes(':')) throw new Error(`invalid queue name ${JSON.stringify(name)}: must be non-empty, without ':'`);
}

export function assertConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
}

export function assertAttempts(attempts: number, backoffMs: number): void {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  if (!(backoffMs >= 0)) throw new RangeError(`backoffMs must be >= 0, got ${backoffMs}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
