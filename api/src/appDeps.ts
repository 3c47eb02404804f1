import type { Config } from './config.ts';
import type { Database } from './db/openDatabase.ts';
import type { InboxWriter } from './ingest/inboxWriter.ts';
import type { ProjectCache } from './ingest/projectCache.ts';
import type { RateLimiter } from './ingest/rateLimiter.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mail/mailer.ts';
import type { JobQueue } from './queue/types.ts';
import type { PrivacyQueueMessage } from './privacy/jobTypes.ts';
import type { IngestJob } from './workers/ingestJob.ts';

/** Everything a route handler may use; built once per process in `runtime.ts`. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Database;
  queue: JobQueue<IngestJob>;
  /** Deletion, erasure, export and retention jobs (api/src/privacy). */
  privacyQueue: JobQueue<PrivacyQueueMessage>;
  projects: ProjectCache;
  ipLimiter: RateLimiter;
  projectLimiter: RateLimiter;
  inbox: InboxWriter;
  /** Account e-mail (password resets, invites). */
  mailer: Mailer;
  /** False once shutdown has begun: /readyz answers 503 so load balancers stop sending traffic. */
  accepting: boolean;
}
