/** The queue job that turns committed inbox rows into sessions, page views and events. */
export interface IngestJob {
  /** inbox_batches ids (bigint as text). */
  ids: string[];
}

export const INGEST_QUEUE = 'ingest';
export const INGEST_JOB = 'process-inbox';

/** Ids are ascending per commit, so first-last names a group stably; the sweeper reuses the scheme for dedup. */
export const ingestJobId = (ids: readonly string[]): string => `inbox-${ids[0]}-${ids[ids.length - 1]}-${ids.length}`;
