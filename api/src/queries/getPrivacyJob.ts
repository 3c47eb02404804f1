import type { SqlRunner } from '@loupe/prisma/sql';
import { JOB_COLUMNS, normalizeJob } from '../privacy/jobState.ts';
import type { PrivacyJob } from '../privacy/jobTypes.ts';

/** A privacy job of this project (a job of another project is not found, like a missing one). */
export async function getPrivacyJob(sql: SqlRunner, projectId: string, jobId: string): Promise<PrivacyJob | null> {
  const [row] = await sql.query<PrivacyJob>(`SELECT ${JOB_COLUMNS} FROM privacy_jobs WHERE id = $1 AND project_id = $2`, [jobId, projectId]);
  return row ? normalizeJob(row) : null;
}
