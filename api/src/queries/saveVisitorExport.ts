import type { SqlRunner } from '@loupe/prisma/sql';

/** Stores (or, for a re-run job, replaces) an export document; returns when it expires. */
export async function saveVisitorExport(
  sql: SqlRunner,
  e: { jobId: string; projectId: string; document: string; ttlDays: number },
): Promise<Date> {
  const [row] = await sql.query<{ expires_at: Date }>(
    `INSERT INTO privacy_exports (job_id, project_id, document, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(days => $4::int))
     ON CONFLICT (job_id) DO UPDATE SET document = EXCLUDED.document, expires_at = EXCLUDED.expires_at, created_at = now()
     RETURNING expires_at`,
    [e.jobId, e.projectId, e.document, e.ttlDays],
  );
  return new Date(row!.expires_at);
}
