import type { SqlRunner } from '@loupe/prisma/sql';
import type { ProjectCache } from '../ingest/projectCache.ts';
import type { Logger } from '../logger.ts';
import type { Consumer, JobQueue } from '../queue/types.ts';
import type { IngestJob } from './ingestJob.ts';
import { processInbox } from './processInbox.ts';

export interface IngestJobOptions {
  /** Most batches one bulk claim takes (one transaction). */
  claimMax: number;
  /** Bulk claims one wake-up job makes at most while the backlog lasts (bounds how long shutdown waits for it). */
  maxRounds?: number;
}

/**
 * Processes `ids` one transaction each; a batch that fails has its attempt counted (so bulk claims leave it to the
 * sweeper) and the first error is rethrown so the queue retries the job.
 */
async function processOneByOne(sql: SqlRunner, projects: ProjectCache, ids: readonly string[], log: Logger): Promise<void> {
  let firstError: unknown;
  for (const id of ids) {
    try {
      await processInbox(sql, projects, { ids: [id] }, log);
    } catch (err) {
      log.error({ err, inboxId: id }, 'inbox batch failed');
      await sql.query('UPDATE inbox_batches SET attempts = attempts + 1 WHERE id = $1::bigint', [id]).catch(() => undefined);
      firstError ??= err;
    }
  }
  if (firstError !== undefined) throw firstError;
}

/**
 * Runs one ingest job. A wake-up claims the oldest pending batches in bulk, round after round while the backlog
 * lasts; if a bulk transaction fails, the batches it had claimed are retried one by one so that one bad batch cannot
 * hold back the others. A retry job processes its listed batches one by one.
 */
export async function runIngestJob(
  sql: SqlRunner,
  projects: ProjectCache,
  job: IngestJob,
  log: Logger,
  opts: IngestJobOptions,
): Promise<void> {
  if (job.kind === 'retry') return processOneByOne(sql, projects, job.ids, log);
  for (let round = 0; round < (opts.maxRounds ?? 20); round++) {
    let claimed: string[] = [];
    try {
      const result = await processInbox(sql, projects, { limit: opts.claimMax }, log, (ids) => (claimed = ids));
      if (result.batches < opts.claimMax) return;
    } catch (err) {
      if (claimed.length === 0) throw err;
      log.warn({ err, batches: claimed.length }, 'ingest transaction failed; retrying its batches one by one');
      return processOneByOne(sql, projects, claimed, log);
    }
  }
}

/** Consumes ingest jobs; a failed job (e.g. a deadlock or a lost connection) is retried by the queue. */
export function startIngestWorker(
  queue: JobQueue<IngestJob>,
  sql: SqlRunner,
  projects: ProjectCache,
  concurrency: number,
  logger: Logger,
  opts: IngestJobOptions,
): Consumer {
  const log = logger.child({ component: 'worker' });
  return queue.consume((job) => runIngestJob(sql, projects, job.data, log, opts), { concurrency });
}
