import type { SqlRunner } from '@loupe/prisma/sql';

/**
 * Marks the visitors' sessions as not judged, which takes them out of the rollups while their events still exist
 * (erasure deletes events before sessions; the rollup triggers read a session's page views and errors). Idempotent.
 */
export async function unjudgeVisitorSessions(sql: SqlRunner, projectId: string, visitorIds: readonly string[]): Promise<number> {
  const rows = await sql.query(
    'UPDATE sessions SET analyzed_at = NULL WHERE project_id = $1 AND visitor_id = ANY($2::text[]) AND analyzed_at IS NOT NULL RETURNING 1',
    [projectId, visitorIds],
  );
  return rows.length;
}
