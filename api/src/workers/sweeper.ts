import type { SqlRunner } from '@loupe/prisma/sql';
import type { Logger } from '../logger.ts';
import type { JobQueue, JobToAdd } from '../queue/types.ts';
import { INGEST_JOB, MAX_BATCH_ATTEMPTS, ingestJobId, type IngestJob } from './ingestJob.ts';

export interface SweeperOptions {
  /** Unprocessed rows older than this are re-enqueued (their job was lost, e.g. Redis restarted). */
  sweepAfterMs: number;
  /** Processed rows older than this are deleted. */
  retentionMs: number;
  /** Rows per re-enqueued job. */
  chunk?: number;
  /** Skip re-enqueueing while the queue already holds this many jobs: they are most likely still on their way. */
  maxBacklog?: number;
}

/**
 * Re-enqueues committed inbox rows whose job never ran (a wake-up per chunk: bulk claims take them) and retries
 * batches that failed before (one by one), up to MAX_BATCH_ATTEMPTS. Safe to run anywhere and any number of times:
 * processing is exactly-once by itself, and job ids dedupe while a job waits.
 */
export async function sweepInbox(sql: SqlRunner, queue: JobQueue<IngestJob>, opts: SweeperOptions): Promise<number> {
  const counts = await queue.counts();
  if (counts.waiting + counts.delayed > (opts.maxBacklog ?? 200)) return 0;
  const rows = await sql.query<{ id: string; attempts: number }>(
    `SELECT id::text AS id, attempts FROM inbox_batches
      WHERE processed_at IS NULL AND attempts < $2 AND received_at < now() - make_interval(secs => $1)
      ORDER BY id LIMIT 20000`,
    [opts.sweepAfterMs / 1000, MAX_BATCH_ATTEMPTS],
  );
  const chunk = opts.chunk ?? 500;
  const jobs: JobToAdd<IngestJob>[] = [];
  for (const kind of ['wake', 'retry'] as const) {
    const ids = rows.filter((r) => (r.attempts === 0) === (kind === 'wake')).map((r) => r.id);
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk);
      jobs.push({ name: INGEST_JOB, data: { ids: part, kind }, opts: { jobId: `sweep-${kind}-${ingestJobId(part)}` } });
    }
  }
  if (jobs.length) await queue.addBulk(jobs);
  return rows.length;
}

/** Deletes processed inbox rows past retention, a bounded number per call. */
export async function purgeInbox(sql: SqlRunner, retentionMs: number): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM inbox_batches WHERE id IN (
         SELECT id FROM inbox_batches
          WHERE processed_at IS NOT NULL AND processed_at < now() - make_interval(secs => $1)
          LIMIT 50000)
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [retentionMs / 1000],
  );
  return rows[0]?.n ?? 0;
}

/** Runs sweep + purge every `intervalMs` until stopped; errors are logged, never thrown. */
export function startSweeper(
  sql: SqlRunner,
  queue: JobQueue<IngestJob>,
  opts: SweeperOptions & { intervalMs: number },
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        const swept = await sweepInbox(sql, queue, opts);
        if (swept) logger.warn({ swept }, 're-enqueued inbox batches whose job was lost');
        const purged = await purgeInbox(sql, opts.retentionMs);
        if (purged) logger.info({ purged }, 'purged processed inbox batches');
      } catch (err) {
        logger.error({ err }, 'inbox sweep failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
