import type { SqlRunner } from '@loupe/prisma/sql';

/** Whether a project has ended sessions waiting for the insight analyzer (a cheap index probe). */
export async function hasSessionsToAnalyze(sql: SqlRunner, projectId: string, endedBefore: Date): Promise<boolean> {
  const rows = await sql.query('SELECT 1 FROM sessions WHERE project_id = $1 AND analyzed_at IS NULL AND ended_at < $2 LIMIT 1', [
    projectId,
    endedBefore.toISOString(),
  ]);
  return rows.length > 0;
}
