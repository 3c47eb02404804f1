import type { SqlRunner } from '@loupe/prisma/sql';

/** Events (page views + clicks + errors, as counted on the session) one claim may load at most, beyond its first session. */
export const ANALYSIS_EVENT_BUDGET = 200_000;

/**
 * Locks up to `limit` ended, not yet judged sessions of a project for the caller's transaction, oldest first, and no
 * more than `ANALYSIS_EVENT_BUDGET` events' worth (a few huge sessions make a small claim, so memory stays bounded;
 * the rest of the locked candidates wait for the next round).
 * SKIP LOCKED lets analyzers on several machines share the work without ever waiting on each other (so it cannot
 * deadlock with ingest); an ingest job that brings a late batch for a locked session waits, then clears
 * `analyzed_at` so the session is judged again.
 */
export async function claimSessionsToAnalyze(
  tx: SqlRunner,
  projectId: string,
  endedBefore: Date,
  limit: number,
  budget = ANALYSIS_EVENT_BUDGET,
): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `WITH c AS (
       SELECT id, ended_at, page_count + click_count + error_count AS ev FROM sessions
        WHERE project_id = $1 AND analyzed_at IS NULL AND ended_at < $2
        ORDER BY ended_at LIMIT $3
        FOR UPDATE SKIP LOCKED
     )
     SELECT id FROM (
       SELECT id, sum(ev) OVER (ORDER BY ended_at, id) AS events, row_number() OVER (ORDER BY ended_at, id) AS n FROM c
     ) w WHERE n = 1 OR events <= $4`,
    [projectId, endedBefore.toISOString(), limit, budget],
  );
  return rows.map((r) => r.id);
}
