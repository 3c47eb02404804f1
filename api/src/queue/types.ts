/**
 * The queue seam. Two implementations sit behind it: BullMQ on Redis (`REDIS_URL` set, workers may run on many
 * machines) and an in-process queue (the embedded default). Durability never depends on either: every job's
 * payload is re-derivable from PostgreSQL (the sweeper re-enqueues lost work), so a queue only has to deliver
 * at least once; handlers must be idempotent.
 */

/** A job as a handler sees it. */
export interface Job<T> {
  /** Unique within the queue; adding a job whose id is already waiting or active is a no-op. */
  id: string;
  name: string;
  data: T;
  /** How many earlier attempts failed (0 on the first run). */
  attemptsMade: number;
}

export interface AddOptions {
  /** Deduplication key; defaults to a generated unique id. */
  jobId?: string;
  /** Delay before the job becomes runnable, in ms. */
  delayMs?: number;
}

export interface JobToAdd<T> {
  name: string;
  data: T;
  opts?: AddOptions;
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface ConsumeOptions {
  /** Jobs run at once by this consumer. */
  concurrency: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Settings shared by both implementations. */
export interface QueueOptions {
  /** Attempts per job before it is kept as failed (default 5). */
  attempts?: number;
  /** First retry delay in ms; doubles per attempt (default 500). */
  backoffMs?: number;
}

/** A consumer started by `JobQueue.consume`. */
export interface Consumer {
  /** Stops taking jobs and waits for the ones in flight to finish (graceful shutdown). */
  close(): Promise<void>;
}

export interface JobQueue<T> {
  readonly name: string;
  add(name: string, data: T, opts?: AddOptions): Promise<void>;
  addBulk(jobs: JobToAdd<T>[]): Promise<void>;
  /** Starts consuming jobs with `handler`; a thrown error schedules a retry with exponential backoff. */
  consume(handler: JobHandler<T>, opts: ConsumeOptions): Consumer;
  counts(): Promise<QueueCounts>;
  /** Resolves when nothing is waiting, delayed or active (used by tests and the benchmark). */
  drained(timeoutMs?: number): Promise<void>;
  /** Closes consumers (gracefully) and connections. */
  close(): Promise<void>;
}
