/**
 * The queue job that turns committed inbox rows into sessions, page views and events.
 * - `wake` (one per inbox commit): the worker claims the oldest unprocessed batches in bulk — this job's among them
 *   unless another worker holds them — so transactions stay large however small each commit was.
 * - `retry` (from the sweeper, for batches that failed before): each listed batch in a transaction of its own.
 */
export interface IngestJob {
  /** inbox_batches ids (bigint as text). */
  ids: string[];
  kind?: 'wake' | 'retry';
}

export const INGEST_QUEUE = 'ingest';
export const INGEST_JOB = 'process-inbox';

/** Ids are ascending per commit, so first-last names a group stably; the sweeper reuses the scheme for dedup. */
export const ingestJobId = (ids: readonly string[]): string => `inbox-${ids[0]}-${ids[ids.length - 1]}-${ids.length}`;

/** A batch that failed this many times is left unprocessed (and logged) instead of being retried again. */
export const MAX_BATCH_ATTEMPTS = 10;
