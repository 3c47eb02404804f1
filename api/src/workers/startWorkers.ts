import type { SqlRunner } from '@loupe/prisma/sql';
import type { ProjectCache } from '../ingest/projectCache.ts';
import type { Logger } from '../logger.ts';
import type { Consumer, JobQueue } from '../queue/types.ts';
import type { IngestJob } from './ingestJob.ts';
import { processInbox } from './processInbox.ts';

/** Consumes ingest jobs; a failed job (e.g. a deadlock or a lost connection) is retried by the queue. */
export function startIngestWorker(
  queue: JobQueue<IngestJob>,
  sql: SqlRunner,
  projects: ProjectCache,
  concurrency: number,
  logger: Logger,
): Consumer {
  const log = logger.child({ component: 'worker' });
  return queue.consume(
    async (job) => {
      const result = await processInbox(sql, projects, job.data.ids, log);
      log.debug({ jobId: job.id, ...result }, 'inbox batches processed');
    },
    { concurrency },
  );
}
