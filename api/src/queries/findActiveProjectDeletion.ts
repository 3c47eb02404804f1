import type { SqlRunner } from '@loupe/prisma/sql';
import { JOB_COLUMNS, normalizeJob } from '../privacy/jobState.ts';
import type { PrivacyJob } from '../privacy/jobTypes.ts';

/** The unfinished delete_project job of a project, if one was already requested (a repeated DELETE reuses it). */
export async function findActiveProjectDeletion(sql: SqlRunner, projectId: string): Promise<PrivacyJob | null> {
  const [row] = await sql.query<PrivacyJob>(
    `SELECT ${JOB_COLUMNS} FROM privacy_jobs
      WHERE project_id = $1 AND kind = 'delete_project' AND status IN ('queued', 'running')
      ORDER BY created_at LIMIT 1`,
    [projectId],
  );
  return row ? normalizeJob(row) : null;
}
