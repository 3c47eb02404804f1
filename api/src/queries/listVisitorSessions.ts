import type { SqlRunner } from '@loupe/prisma/sql';

/** Server session ids and the tracker's session ids of these visitors (index on project, visitor). */
export async function listVisitorSessions(
  sql: SqlRunner,
  projectId: string,
  visitorIds: readonly string[],
): Promise<{ sessionIds: string[]; clientSessionIds: string[] }> {
  const rows = await sql.query<{ id: string; client_session_id: string }>(
    'SELECT id, client_session_id FROM sessions WHERE project_id = $1 AND visitor_id = ANY($2::text[])',
    [projectId, visitorIds],
  );
  return { sessionIds: rows.map((r) => r.id), clientSessionIds: [...new Set(rows.map((r) => r.client_session_id))] };
}
