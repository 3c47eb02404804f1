import type { SqlRunner } from '@loupe/prisma/sql';

/** The stored JSON document of a finished, unexpired visitor export of this project, or null. */
export async function getPrivacyExport(sql: SqlRunner, projectId: string, jobId: string): Promise<string | null> {
  const [row] = await sql.query<{ document: string }>(
    'SELECT document FROM privacy_exports WHERE job_id = $1 AND project_id = $2 AND expires_at > now()',
    [jobId, projectId],
  );
  return row?.document ?? null;
}
