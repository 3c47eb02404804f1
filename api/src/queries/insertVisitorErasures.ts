import type { SqlRunner } from '@loupe/prisma/sql';
import { lockOutIngest } from '../privacy/ingestLock.ts';
import { visitorHash } from '../privacy/visitorHash.ts';

/**
 * Writes the tombstones of erased visitors (and of the identify hash they were found by, if any) in one
 * transaction under the privacy lock: ingest transactions in flight commit first (their rows are then visible to the
 * erasure's deletes), later ones drop these visitors' batches. Idempotent: an existing tombstone keeps its first
 * time. Stores hashes of the visitor ids, never the ids.
 */
export async function insertVisitorErasures(
  sql: SqlRunner,
  e: { projectId: string; visitorIds: readonly string[]; identifyHash?: string; jobId: string },
): Promise<void> {
  await sql.transaction(async (tx) => {
    await lockOutIngest(tx);
    await insertVisitorTombstones(tx, e.projectId, e.visitorIds, e.jobId);
    if (e.identifyHash) {
      await tx.query('INSERT INTO identify_erasures (project_id, identify_hash, job_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        e.projectId,
        e.identifyHash,
        e.jobId,
      ]);
    }
  });
}

/** The tombstone rows alone, inside the caller's transaction (ingest uses it for devices of an erased identify hash). */
export async function insertVisitorTombstones(tx: SqlRunner, projectId: string, visitorIds: readonly string[], jobId: string): Promise<void> {
  if (visitorIds.length === 0) return;
  await tx.query(
    `INSERT INTO visitor_erasures (project_id, visitor_hash, job_id)
     SELECT $1, v, $3 FROM unnest($2::text[]) AS v ON CONFLICT DO NOTHING`,
    [projectId, visitorIds.map(visitorHash), jobId],
  );
}
