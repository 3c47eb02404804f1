import type { SqlRunner } from '@loupe/prisma/sql';
import type { ProjectCache } from '../ingest/projectCache.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Consumer, JobQueue } from '../queue/types.ts';
import type { IngestJob } from './ingestJob.ts';
import { processInbox, type InboxPartition } from './processInbox.ts';

export interface IngestJobOptions {
  /** Most batches one bulk claim takes (one transaction). */
  claimMax: number;
  /** Bulk claims one wake-up job makes at most per partition while the backlog lasts (bounds how long shutdown waits for it). */
  maxRounds?: number;
  /** Inbox partitions (`partitionLocks.ts`); 1: every claim takes the oldest rows of the whole inbox. */
  partitions?: number;
}

/** The ingest worker's settings: configured values, or the defaults for the database kind (see config.ts). */
export function ingestWorkerSettings(
  config: Pick<Config, 'LOUPE_WORKER_CLAIM_MAX' | 'LOUPE_WORKER_CONCURRENCY' | 'LOUPE_INGEST_PARTITIONS'>,
  kind: 'postgres' | 'pglite',
): { claimMax: number; concurrency: number; partitions: number } {
  const pglite = kind === 'pglite';
  return {
    claimMax: config.LOUPE_WORKER_CLAIM_MAX ?? (pglite ? 50 : 500),
    concurrency: config.LOUPE_WORKER_CONCURRENCY ?? (pglite ? 1 : 2),
    partitions: config.LOUPE_INGEST_PARTITIONS ?? (pglite ? 1 : 2),
  };
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

/** Where the next job starts its tour of the partitions: concurrent jobs start on different ones. */
let nextStart = 0;

/**
 * Runs one ingest job. A wake-up visits every inbox partition: it drains each one whose lock is free (bulk claims,
 * round after round while the backlog lasts), then queues for the locks of those that were busy and drains them too.
 * The second pass closes the lost-wake-up gap: the busy partition's holder may have claimed before this job's batches
 * were committed and be about to stop. If a bulk transaction fails, the batches it had claimed are retried one by one
 * so that one bad batch cannot hold back the others. A retry job processes its listed batches one by one.
 */
export async function runIngestJob(
  sql: SqlRunner,
  projects: ProjectCache,
  job: IngestJob,
  log: Logger,
  opts: IngestJobOptions,
): Promise<void> {
  if (job.kind === 'retry') return processOneByOne(sql, projects, job.ids, log);
  const of = opts.partitions ?? 1;
  const start = nextStart++ % of;
  const busy: number[] = [];
  for (let i = 0; i < of; i++) {
    const index = (start + i) % of;
    if (!(await drainPartition(sql, projects, log, opts, { index, of, wait: false }))) busy.push(index);
  }
  for (const index of busy) await drainPartition(sql, projects, log, opts, { index, of, wait: true });
}

/** Bulk claims from one partition until it has less than a claim's worth left. False: its lock was busy. */
async function drainPartition(sql: SqlRunner, projects: ProjectCache, log: Logger, opts: IngestJobOptions, partition: InboxPartition): Promise<boolean> {
  for (let round = 0; round < (opts.maxRounds ?? 20); round++) {
    let claimed: string[] = [];
    try {
      const result = await processInbox(sql, projects, { limit: opts.claimMax, partition }, log, (ids) => (claimed = ids));
      if (result.busy) return false;
      if (result.batches < opts.claimMax) return true;
    } catch (err) {
      if (claimed.length === 0) throw err;
      log.warn({ err, batches: claimed.length }, 'ingest transaction failed; retrying its batches one by one');
      await processOneByOne(sql, projects, claimed, log);
      return true;
    }
  }
  return true;
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
