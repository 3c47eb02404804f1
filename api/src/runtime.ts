/**
 * Builds a process's dependencies from the config: database, queue, caches, inbox writer, and (inline or in a
 * worker process) the ingest consumer and sweeper. One place, so api, worker and tests assemble the same thing.
 */
import type { AppDeps } from './appDeps.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/openDatabase.ts';
import { InboxWriter } from './ingest/inboxWriter.ts';
import { ProjectCache } from './ingest/projectCache.ts';
import { RateLimiter } from './ingest/rateLimiter.ts';
import { WorkerWaker } from './ingest/workerWaker.ts';
import type { Logger } from './logger.ts';
import { createMailer } from './mail/mailer.ts';
import { PRIVACY_ATTEMPTS, PRIVACY_QUEUE, type PrivacyQueueMessage } from './privacy/jobTypes.ts';
import { startPrivacyConsumer, startPrivacyScheduler } from './privacy/privacyWorker.ts';
import { createQueue } from './queue/index.ts';
import type { Consumer } from './queue/types.ts';
import { INGEST_JOB, INGEST_QUEUE, type IngestJob } from './workers/ingestJob.ts';
import { startInsightAnalyzer } from './insights/analyzeEndedSessions.ts';
import { startSweeper } from './workers/sweeper.ts';
import { ingestWorkerSettings, startIngestWorker } from './workers/startWorkers.ts';

export interface Runtime {
  deps: AppDeps;
  /** Starts the ingest consumer, the sweeper, the insight analyzer and the privacy worker (consumer + retention schedule) in this process. */
  startWorkers(): void;
  /** Graceful: stop accepting, flush the inbox writer, drain in-flight jobs, close connections. */
  close(): Promise<void>;
}

export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.LOUPE_DATA_DIR, logger });
  const queue = createQueue<IngestJob>({
    name: INGEST_QUEUE,
    redisUrl: config.REDIS_URL,
    prefix: config.LOUPE_REDIS_PREFIX,
    logger: logger.child({ component: 'queue' }),
  });
  // A second named queue on the same Redis (or in process): privacy jobs are long and must not delay ingest.
  const privacyQueue = createQueue<PrivacyQueueMessage>({
    name: PRIVACY_QUEUE,
    redisUrl: config.REDIS_URL,
    prefix: config.LOUPE_REDIS_PREFIX,
    attempts: PRIVACY_ATTEMPTS,
    backoffMs: 2000,
    logger: logger.child({ component: 'privacy-queue' }),
  });
  const enqueueLog = logger.child({ component: 'ingest' });
  const waker = new WorkerWaker(() => {
    queue.add(INGEST_JOB, { ids: [], kind: 'wake' }).catch((err: unknown) => {
      enqueueLog.warn({ err }, 'waking the workers failed; the sweeper will pick the batches up');
    });
  }, config.LOUPE_WAKE_INTERVAL_MS);
  const inbox = new InboxWriter(db.sql, {
    maxBatch: config.LOUPE_GROUP_COMMIT_MAX,
    concurrency: db.kind === 'pglite' ? 1 : config.LOUPE_GROUP_COMMIT_CONCURRENCY,
    onCommitted: () => waker.committed(),
  });
  const projects = new ProjectCache(db.sql);
  const deps: AppDeps = {
    config,
    logger,
    db,
    queue,
    privacyQueue,
    projects,
    inbox,
    mailer: createMailer({
      smtpUrl: config.LOUPE_SMTP_URL,
      from: config.LOUPE_MAIL_FROM,
      outboxDir: config.LOUPE_OUTBOX_DIR,
      logger: logger.child({ component: 'mail' }),
    }),
    ipLimiter: new RateLimiter(config.LOUPE_RATE_PER_IP),
    projectLimiter: new RateLimiter(config.LOUPE_RATE_PER_PROJECT),
    accepting: true,
  };
  let consumer: Consumer | null = null;
  let sweeper: { stop(): Promise<void> } | null = null;
  let analyzer: { stop(): Promise<void> } | null = null;
  let privacyConsumer: Consumer | null = null;
  let privacyScheduler: { stop(): Promise<void> } | null = null;
  // Long privacy jobs stop between statements at shutdown and are handed back to the queue.
  const privacyStop = new AbortController();
  return {
    deps,
    startWorkers() {
      if (consumer) return;
      const { claimMax, concurrency, partitions } = ingestWorkerSettings(config, db.kind);
      consumer = startIngestWorker(queue, db.sql, projects, concurrency, logger, { claimMax, partitions });
      sweeper = startSweeper(
        db.sql,
        queue,
        {
          sweepAfterMs: config.LOUPE_SWEEP_AFTER_SECONDS * 1000,
          retentionMs: config.LOUPE_INBOX_RETENTION_HOURS * 3600_000,
          intervalMs: config.LOUPE_SWEEP_INTERVAL_SECONDS * 1000,
        },
        logger.child({ component: 'sweeper' }),
      );
      const insightMs = config.LOUPE_INSIGHT_INTERVAL_SECONDS * 1000;
      if (insightMs > 0) {
        analyzer = startInsightAnalyzer(
          db.sql,
          { intervalMs: insightMs, firstTickMs: Math.min(insightMs, 15_000), chunk: db.kind === 'pglite' ? 50 : 500 },
          logger.child({ component: 'insights' }),
        );
      }
      const privacyLog = logger.child({ component: 'privacy' });
      privacyConsumer = startPrivacyConsumer(privacyQueue, { sql: db.sql, logger: privacyLog, signal: privacyStop.signal });
      privacyScheduler = startPrivacyScheduler(
        db.sql,
        privacyQueue,
        { intervalMs: 60_000, queuedIdleMs: 30_000, runningIdleMs: 10 * 60_000, soleWorker: db.kind === 'pglite' },
        privacyLog,
      );
    },
    async close() {
      deps.accepting = false;
      await inbox.flushed();
      waker.flush();
      await sweeper?.stop();
      await analyzer?.stop();
      privacyStop.abort();
      await privacyScheduler?.stop();
      await consumer?.close();
      await privacyConsumer?.close();
      await queue.close();
      await privacyQueue.close();
      await db.close();
    },
  };
}
