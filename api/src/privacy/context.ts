import type { SqlRunner } from '@loupe/prisma/sql';
import type { Logger } from '../logger.ts';

/** What a privacy job needs. */
export interface PrivacyContext {
  sql: SqlRunner;
  logger: Logger;
  /** Rows per DELETE statement (default `DELETE_BATCH`); tests make it small to exercise resumption. */
  batchSize?: number;
  /** Called after every persisted progress step; tests throw from it to simulate a worker dying midway. */
  afterStep?: () => Promise<void>;
  /** Aborted at shutdown: the job stops after its current statement and goes back to the queue (see runPrivacyJob). */
  signal?: AbortSignal;
}
