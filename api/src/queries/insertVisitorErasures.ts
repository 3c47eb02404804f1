import type { SqlRunner } from '@loupe/prisma/sql';
import { lockOutIngest } from '../privacy/ingestLock.ts';
import { visitorHash } from '../privacy/visitorHash.ts';

/**
 * Writes the tombstones of erased visitors in one transaction under the privacy lock: ingest transactions in flight
 * commit first (their rows are then visible to the erasure's deletes), later ones drop these visitors' batches.
 * Idempotent: an existing tombstone keeps its first time. Stores hashes of the ids, never the ids.
 */
export async function insertVisitorErasures(sql: SqlRunner, projectId: string, visitorIds: readonly string[], jobId: string): Promise<void> {
  await sql.transaction(async (tx) => {
    await lockOutIngest(tx);
    await tx.query(
      `INSERT INTO visitor_erasures (project_id, visitor_hash, job_id)
       SELECT $1, v, $3 FROM unnest($2::text[]) AS v ON CONFLICT DO NOTHING`,
      [projectId, visitorIds.map(visitorHash), jobId],
    );
  });
}
