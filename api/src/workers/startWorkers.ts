import type { SqlRunner } from '@loupe/prisma/sql';
import type { ProjectCache } from '../ingest/projectCache.ts';
import type { Logger } from '../logger.ts';
import type { Consumer, JobQueue } from '../queue/types.ts';
import type { IngestJob } from './ingestJob.ts';
import { processInbox } from './processInbox.ts';

/**
 * Runs one ingest job. A job carries many batches in one transaction; if it fails, each batch is retried in a
 * transaction of its own so that one bad batch cannot hold back the others, and the job fails (and is retried by
 * the queue) only for the batches that still fail.
 */
export async function runIngestJob(sql: SqlRunner, projects: ProjectCache, ids: readonly string[], log: Logger): Promise<void> {
  try {
    await processInbox(sql, projects, ids, log);
    return;
  } catch (err) {
    if (ids.length === 1) throw err;
    log.warn({ err, batches: ids.length }, 'ingest job failed; retrying its batches one by one');
  }
  let firstError: unknown;
  for (const id of ids) {
    try {
      await processInbox(sql, projects, [id], log);
    } catch (err) {
      log.error({ err, inboxId: id }, 'inbox batch failed');
      firstError ??= err;
    }
  }
  if (firstError !== undefined) throw firstError;
}

/** Consumes ingest jobs; a failed job (e.g. a deadlock or a lost connection) is retried by the queue. */
export function startIngestWorker(
  queue: JobQueue<IngestJob>,
  sql: SqlRunner,
  projects: ProjectCache,
  concurrency: number,
  logger: Logger,
): Consumer {
  const log = logger.child({ component: 'worker' });
  return queue.consume((job) => runIngestJob(sql, projects, job.data.ids, log), { concurrency });
}
