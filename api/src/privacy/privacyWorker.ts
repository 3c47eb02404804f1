/**
 * The privacy worker: consumes the `privacy` queue, and on a timer (1) creates the hourly retention job — its id
 * names the hour, so however many workers tick only one inserts it and enqueues — and (2) re-enqueues unfinished
 * jobs nobody touched for a while (queue message lost with Redis or with the embedded process, worker killed).
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import type { Logger } from '../logger.ts';
import { createPrivacyJob } from '../queries/createPrivacyJob.ts';
import { listStalePrivacyJobs } from '../queries/listStalePrivacyJobs.ts';
import type { Consumer, JobQueue } from '../queue/types.ts';
import type { PrivacyContext } from './context.ts';
import { PRIVACY_ATTEMPTS, PRIVACY_JOB, type PrivacyQueueMessage } from './jobTypes.ts';
import { runPrivacyJob } from './runPrivacyJob.ts';

/**
 * Consumes privacy jobs, one at a time per process: they are long, bounded-batch background work. Abort
 * `ctx.signal` before closing the consumer so shutdown does not wait for a long job to finish.
 */
export function startPrivacyConsumer(queue: JobQueue<PrivacyQueueMessage>, ctx: PrivacyContext): Consumer {
  return queue.consume(
    async (job) => {
      await runPrivacyJob(ctx, job.data.jobId, { attemptsMade: job.attemptsMade, maxAttempts: PRIVACY_ATTEMPTS });
    },
    { concurrency: 1 },
  );
}

/** Adds the queue message of a privacy job; the job id deduplicates while a message waits or runs. */
export async function enqueuePrivacyJob(queue: JobQueue<PrivacyQueueMessage>, jobId: string): Promise<void> {
  await queue.add(PRIVACY_JOB, { jobId }, { jobId });
}

/** `retention-2026-11-28T20`: one retention job per UTC hour. */
export const retentionJobId = (now: Date): string => `retention-${now.toISOString().slice(0, 13)}`;

/** Creates this hour's retention job if no worker has yet, and enqueues it. Returns its id when this call created it. */
export async function scheduleRetention(sql: SqlRunner, queue: JobQueue<PrivacyQueueMessage>, now = new Date()): Promise<string | null> {
  const job = await createPrivacyJob(sql, { id: retentionJobId(now), projectId: null, kind: 'retention', params: {} });
  if (!job) return null;
  await enqueuePrivacyJob(queue, job.id);
  return job.id;
}

/**
 * Re-enqueues unfinished jobs that may have lost their message; a message still waiting dedupes by job id, and a
 * duplicate run is harmless (jobs are idempotent).
 */
export async function requeueStalePrivacyJobs(
  sql: SqlRunner,
  queue: JobQueue<PrivacyQueueMessage>,
  opts: { queuedIdleMs: number; runningIdleMs: number },
): Promise<number> {
  const ids = await listStalePrivacyJobs(sql, opts.queuedIdleMs, opts.runningIdleMs);
  if (ids.length) await queue.addBulk(ids.map((jobId) => ({ name: PRIVACY_JOB, data: { jobId }, opts: { jobId } })));
  return ids.length;
}

export interface PrivacySchedulerOptions {
  intervalMs: number;
  /** Queued jobs untouched this long are re-enqueued. */
  queuedIdleMs: number;
  /** Running jobs untouched this long are re-enqueued (every step of a live job touches its row). */
  runningIdleMs: number;
  /**
   * Set when this process is the only worker there can be (the embedded default owns its data directory): at start,
   * every running job is an orphan of a previous run, so the first tick re-enqueues them at once.
   */
  soleWorker?: boolean;
  /** Delay of the first tick (default 10 s). */
  firstTickMs?: number;
}

/** Ticks after `firstTickMs`, then every `intervalMs`; errors are logged, never thrown. */
export function startPrivacyScheduler(
  sql: SqlRunner,
  queue: JobQueue<PrivacyQueueMessage>,
  opts: PrivacySchedulerOptions,
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let atStart = opts.soleWorker === true;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        const created = await scheduleRetention(sql, queue);
        if (created) logger.info({ job: created }, 'retention run scheduled');
        const idle = atStart ? { queuedIdleMs: 0, runningIdleMs: 0 } : opts;
        atStart = false;
        const requeued = await requeueStalePrivacyJobs(sql, queue, idle);
        if (requeued) logger.warn({ requeued }, 're-enqueued interrupted privacy jobs');
      } catch (err) {
        logger.error({ err }, 'privacy scheduler tick failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  // Not at once: a (re)starting process first catches up with ingest (on PGlite they share one connection).
  const first = setTimeout(tick, opts.firstTickMs ?? 10_000);
  first.unref();
  return {
    async stop() {
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
