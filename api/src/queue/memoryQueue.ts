import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_FAILED_KEPT,
  assertAttempts,
  assertConcurrency,
  assertQueueName,
  backoffDelay,
  errorMessage,
} from './shared.ts';
import type {
  AddOptions,
  ConsumeOptions,
  Consumer,
  JobHandler,
  JobQueue,
  JobToAdd,
  QueueCounts,
  QueueOptions,
} from './types.ts';

export interface MemoryQueueOptions extends QueueOptions {
  name: string;
  /** Failed jobs kept for `counts().failed` and inspection; the oldest are dropped first (default 1000). */
  maxFailedKept?: number;
  logger?: Logger;
}

interface Entry<T> {
  id: string;
  name: string;
  data: T;
  attemptsMade: number;
  timer?: NodeJS.Timeout;
}

/**
 * Creates an in-process queue with the same semantics as the BullMQ one: FIFO delivery, `jobId` deduplication
 * while a job is waiting, delayed or active (a completed or failed id can be added again), per-consumer
 * concurrency, delayed jobs, retries with exponential backoff and a bounded list of failed jobs.
 *
 * Nothing is persisted. `close()` stops handing out jobs, waits for the ones in flight and then DROPS every job
 * still waiting or delayed: that is safe because each job is re-derivable from PostgreSQL and the application's
 * sweeper re-enqueues lost work. After `close()` no timer is left pending.
 */
export function createMemoryQueue<T>(opts: MemoryQueueOptions): JobQueue<T> {
  return new MemoryQueue<T>(opts);
}

class MemoryQueue<T> implements JobQueue<T> {
  readonly name: string;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxFailedKept: number;
  private readonly logger: Logger | undefined;
  // Maps keep insertion order, which gives FIFO for free and O(1) dedup lookups.
  private readonly waiting = new Map<string, Entry<T>>();
  private readonly delayed = new Map<string, Entry<T>>();
  private readonly active = new Map<string, Entry<T>>();
  private readonly failed = new Map<string, Entry<T>>();
  private readonly consumers = new Set<MemoryConsumer<T>>();
  private readonly drainWaiters = new Set<() => void>();
  private closing = false;
  private closePromise: Promise<void> | undefined;

  constructor(opts: MemoryQueueOptions) {
    assertQueueName(opts.name);
    this.name = opts.name;
    this.attempts = opts.attempts ?? DEFAULT_ATTEMPTS;
    this.backoffMs = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
    assertAttempts(this.attempts, this.backoffMs);
    this.maxFailedKept = opts.maxFailedKept ?? DEFAULT_FAILED_KEPT;
    this.logger = opts.logger?.child({ queue: opts.name, impl: 'memory' });
  }

  async add(name: string, data: T, opts?: AddOptions): Promise<void> {
    this.enqueue(name, data, opts);
  }

  async addBulk(jobs: JobToAdd<T>[]): Promise<void> {
    for (const job of jobs) this.enqueue(job.name, job.data, job.opts);
  }

  consume(handler: JobHandler<T>, opts: ConsumeOptions): Consumer {
    if (this.closing) throw new Error(`queue ${this.name} is closed`);
    assertConcurrency(opts.concurrency);
    const consumer = new MemoryConsumer<T>(opts.concurrency, handler, this, () => this.consumers.delete(consumer));
    this.consumers.add(consumer);
    this.pump();
    return consumer;
  }

  async counts(): Promise<QueueCounts> {
    return { waiting: this.waiting.size, active: this.active.size, delayed: this.delayed.size, failed: this.failed.size };
  }

  drained(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        if (!this.isIdle()) return;
        clearTimeout(timer);
        this.drainWaiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.drainWaiters.delete(waiter);
        const c = `waiting=${this.waiting.size} delayed=${this.delayed.size} active=${this.active.size}`;
        reject(new Error(`queue ${this.name} not drained after ${timeoutMs} ms (${c})`));
      }, timeoutMs);
      this.drainWaiters.add(waiter);
    });
  }

  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  /** Hands the oldest waiting jobs to consumers with free slots. Called after every state change that may free work. */
  pump(): void {
    if (this.closing) return;
    for (const consumer of this.consumers) {
      while (consumer.hasCapacity()) {
        const next = this.waiting.values().next();
        if (next.done) return;
        const entry = next.value;
        this.waiting.delete(entry.id);
        this.active.set(entry.id, entry);
        consumer.run(entry);
      }
    }
  }

  /** Runs one attempt and moves the job to its next state; never rejects. */
  async execute(entry: Entry<T>, handler: JobHandler<T>): Promise<void> {
    const job = { id: entry.id, name: entry.name, data: entry.data, attemptsMade: entry.attemptsMade };
    try {
      // Deferred by a microtask so a handler never runs inside the add()/consume() call that dispatched it.
      await Promise.resolve().then(() => handler(job));
      this.active.delete(entry.id);
    } catch (err) {
      this.active.delete(entry.id);
      entry.attemptsMade += 1;
      const log = { jobId: entry.id, jobName: entry.name, attemptsMade: entry.attemptsMade, err: errorMessage(err) };
      if (entry.attemptsMade >= this.attempts) {
        this.keepFailed(entry);
        this.logger?.warn(log, 'job failed after its last attempt');
      } else if (this.closing) {
        this.logger?.info(log, 'job failed while closing; retry dropped (the sweeper re-enqueues it)');
      } else {
        this.logger?.debug(log, 'job failed; retry scheduled');
        this.schedule(entry, backoffDelay(this.backoffMs, entry.attemptsMade));
      }
    }
    this.notify();
  }

  private enqueue(name: string, data: T, opts: AddOptions | undefined): void {
    if (this.closing) throw new Error(`queue ${this.name} is closed`);
    const id = opts?.jobId ?? randomUUID();
    if (this.waiting.has(id) || this.delayed.has(id) || this.active.has(id)) return;
    // A failed id is added again as a fresh job, as the BullMQ implementation does.
    this.failed.delete(id);
    const entry: Entry<T> = { id, name, data, attemptsMade: 0 };
    const delayMs = opts?.delayMs ?? 0;
    if (delayMs > 0) this.schedule(entry, delayMs);
    else {
      this.waiting.set(id, entry);
      this.pump();
    }
  }

  private schedule(entry: Entry<T>, delayMs: number): void {
    this.delayed.set(entry.id, entry);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.delayed.delete(entry.id);
      this.waiting.set(entry.id, entry);
      this.pump();
    }, delayMs);
  }

  private keepFailed(entry: Entry<T>): void {
    this.failed.set(entry.id, entry);
    while (this.failed.size > this.maxFailedKept) {
      const oldest = this.failed.keys().next();
      if (oldest.done) break;
      this.failed.delete(oldest.value);
    }
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.delayed.size === 0 && this.active.size === 0;
  }

  private notify(): void {
    for (const waiter of [...this.drainWaiters]) waiter();
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.consumers].map((c) => c.close()));
    for (const entry of this.delayed.values()) clearTimeout(entry.timer);
    const dropped = this.waiting.size + this.delayed.size;
    this.waiting.clear();
    this.delayed.clear();
    if (dropped > 0) this.logger?.info({ dropped }, 'queue closed; unstarted jobs dropped (the sweeper re-enqueues them)');
    this.notify();
  }
}

class MemoryConsumer<T> implements Consumer {
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private closePromise: Promise<void> | undefined;

  constructor(
    private readonly concurrency: number,
    private readonly handler: JobHandler<T>,
    private readonly queue: MemoryQueue<T>,
    private readonly detach: () => void,
  ) {}

  hasCapacity(): boolean {
    return !this.closed && this.inFlight.size < this.concurrency;
  }

  run(entry: Entry<T>): void {
    const running: Promise<void> = this.queue.execute(entry, this.handler).finally(() => {
      this.inFlight.delete(running);
      this.queue.pump();
    });
    this.inFlight.add(running);
  }

  close(): Promise<void> {
    if (!this.closePromise) {
      this.closed = true;
      this.detach();
      this.closePromise = Promise.allSettled([...this.inFlight]).then(() => undefined);
    }
    return this.closePromise;
  }
}
