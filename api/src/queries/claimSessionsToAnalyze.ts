import type { SqlRunner } from '@loupe/prisma/sql';

/**
 * Locks up to `limit` ended, not yet judged sessions of a project for the caller's transaction. SKIP LOCKED lets
 * analyzers on several machines share the work without waiting on each other; an ingest job that brings a late batch
 * for a locked session waits, then clears `analyzed_at` so the session is judged again.
 */
export async function claimSessionsToAnalyze(tx: SqlRunner, projectId: string, endedBefore: Date, limit: number): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM sessions
      WHERE project_id = $1 AND analyzed_at IS NULL AND ended_at < $2
      ORDER BY ended_at LIMIT $3
      FOR UPDATE SKIP LOCKED`,
    [projectId, endedBefore.toISOString(), limit],
  );
  return rows.map((r) => r.id);
}
