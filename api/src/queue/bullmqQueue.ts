import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, type Job as BullJob, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_FAILED_KEPT,
  assertAttempts,
  assertConcurrency,
  assertQueueName,
  errorMessage,
} from './shared.ts';
import type {
  AddOptions,
  ConsumeOptions,
  Consumer,
  Job,
  JobHandler,
  JobQueue,
  JobToAdd,
  QueueCounts,
  QueueOptions,
} from './types.ts';

export interface BullmqQueueOptions extends QueueOptions {
  name: string;
  /** e.g. `redis://127.0.0.1:6379/0`. */
  redisUrl: string;
  /** Prefix of every Redis key of this queue, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  /** Failed jobs kept in Redis for `counts().failed` and inspection; the oldest are trimmed first (default 1000). */
  maxFailedKept?: number;
  logger?: Logger;
}

const DRAIN_POLL_MS = 25;

/**
 * Creates a BullMQ-backed queue (jobs live in Redis, consumers may run in other processes or machines).
 *
 * Job ids: BullMQ rejects integer-like ids and ids containing `:`, so ids are stored encoded (`q-` prefix, `%` and
 * `:` escaped) and decoded before a handler sees them; callers can use any string. A job with no `jobId` gets a
 * random UUID, as in the memory queue. BullMQ deduplicates against every stored job, including kept failed
 * ones; to match the memory queue (dedup only while waiting, delayed or active), adding an id that sits in the
 * failed set first removes that failed record. That check is not atomic with the add: in the rare race the add
 * is a no-op and the sweeper re-enqueues the job later.
 */
export function createBullmqQueue<T>(opts: BullmqQueueOptions): JobQueue<T> {
  assertQueueName(opts.name);
  const attempts = opts.attempts ?? DEFAULT_ATTEMPTS;
  const backoffMs = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  assertAttempts(attempts, backoffMs);
  const logger = opts.logger?.child({ queue: opts.name, impl: 'bullmq' });
  const workers = new Set<Worker<T, void, string>>();
  let closePromise: Promise<void> | undefined;

  // All type parameters spelled out: BullMQ's conditional defaults cannot resolve on a generic T.
  const queue = new Queue<T, void, string, T, void, string>(opts.name, {
    // The producer keeps ioredis' default maxRetriesPerRequest so add() fails instead of hanging while Redis is down.
    connection: { url: opts.redisUrl },
    prefix: opts.prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: opts.maxFailedKept ?? DEFAULT_FAILED_KEPT },
    },
  });
  queue.on('error', (err) => logger?.error({ err: errorMessage(err) }, 'queue connection error'));

  function assertOpen(): void {
    if (closePromise) throw new Error(`queue ${opts.name} is closed`);
  }

  /** Removes kept failed jobs whose ids are being added again, so the add is not swallowed by BullMQ's dedup. */
  async function releaseFailedIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const client = await queue.getBackend().client;
    const failedKey = queue.keys.failed;
    if (!failedKey) throw new Error('BullMQ did not expose the failed-set key');
    // Issued together so ioredis pipelines them into one round trip.
    const scores = await Promise.all(ids.map((id) => client.zscore(failedKey, id)));
    const stale = ids.filter((_, i) => scores[i] !== null);
    await Promise.all(stale.map((id) => queue.remove(id)));
  }

  async function counts(): Promise<QueueCounts> {
    const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  function toBullOptions(add: AddOptions | undefined): JobsOptions {
    const jobOpts: JobsOptions = { jobId: encodeJobId(add?.jobId ?? randomUUID()) };
    if (add?.delayMs && add.delayMs > 0) jobOpts.delay = add.delayMs;
    return jobOpts;
  }

  return {
    name: opts.name,

    async add(name, data, addOpts) {
      assertOpen();
      if (addOpts?.jobId !== undefined) await releaseFailedIds([encodeJobId(addOpts.jobId)]);
      await queue.add(name, data, toBullOptions(addOpts));
    },

    async addBulk(jobs: JobToAdd<T>[]) {
      assertOpen();
      if (jobs.length === 0) return;
      const explicit = jobs.flatMap((j) => (j.opts?.jobId === undefined ? [] : [encodeJobId(j.opts.jobId)]));
      await releaseFailedIds(explicit);
      await queue.addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: toBullOptions(j.opts) })));
    },

    consume(handler: JobHandler<T>, consumeOpts: ConsumeOptions): Consumer {
      assertOpen();
      assertConcurrency(consumeOpts.concurrency);
      const worker = new Worker<T, void, string>(opts.name, (job) => handler(fromBullJob(job)), {
        // BullMQ requires null here: its blocking commands must wait out Redis outages rather than fail.
        connection: { url: opts.redisUrl, maxRetriesPerRequest: null },
        prefix: opts.prefix,
        concurrency: consumeOpts.concurrency,
        autorun: true,
      });
      // An 'error' event without a listener would crash the process (EventEmitter semantics).
      worker.on('error', (err) => logger?.error({ err: errorMessage(err) }, 'worker error'));
      worker.on('failed', (job, err) => {
        const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
        logger?.[final ? 'warn' : 'debug'](
          { jobId: job?.id && decodeJobId(job.id), jobName: job?.name, attemptsMade: job?.attemptsMade, err: err.message },
          final ? 'job failed after its last attempt' : 'job failed; retry scheduled',
        );
      });
      workers.add(worker);
      let closing: Promise<void> | undefined;
      return {
        close() {
          // Worker.close() without `force` waits for the jobs in flight.
          closing ??= worker.close().finally(() => workers.delete(worker));
          return closing;
        },
      };
    },

    counts,

    async drained(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const c = await counts();
        if (c.waiting + c.active + c.delayed === 0) return;
        if (Date.now() >= deadline) {
          const s = `waiting=${c.waiting} delayed=${c.delayed} active=${c.active}`;
          throw new Error(`queue ${opts.name} not drained after ${timeoutMs} ms (${s})`);
        }
        await sleep(DRAIN_POLL_MS);
      }
    },

    close() {
      closePromise ??= (async () => {
        await Promise.all([...workers].map((w) => w.close()));
        await queue.close();
      })();
      return closePromise;
    },
  };
}

function fromBullJob<T>(job: BullJob<T, void, string>): Job<T> {
  if (job.id === undefined) throw new Error('BullMQ handed over a job without an id');
  return { id: decodeJobId(job.id), name: job.name, data: job.data, attemptsMade: job.attemptsMade };
}

/** Reversible; the `q-` prefix keeps ids from ever being integer-like, which BullMQ rejects. */
export function encodeJobId(id: string): string {
  return `q-${id.replaceAll('%', '%25').replaceAll(':', '%3A')}`;
}

export function decodeJobId(stored: string): string {
  const raw = stored.startsWith('q-') ? stored.slice(2) : stored;
  // One pass, so an escaped `%` can never be read back as part of an escaped `:`.
  return raw.replace(/%(25|3A)/g, (_, code: string) => (code === '25' ? '%' : ':'));
}
