import { randomBytes } from 'node:crypto';
import type { SqlRunner } from '@loupe/prisma/sql';
import { JOB_COLUMNS, normalizeJob } from '../privacy/jobState.ts';
import type { PrivacyJob, PrivacyJobKind } from '../privacy/jobTypes.ts';

export interface NewPrivacyJob {
  /** Defaults to a fresh random id; the retention schedule passes its hourly id to deduplicate. */
  id?: string;
  projectId: string | null;
  kind: PrivacyJobKind;
  params: Record<string, unknown>;
  requestedBy?: string | null;
}

/** Inserts a queued privacy job; with an explicit `id` that already exists, inserts nothing and returns null. */
export async function createPrivacyJob(sql: SqlRunner, job: NewPrivacyJob): Promise<PrivacyJob | null> {
  const [row] = await sql.query<PrivacyJob>(
    `INSERT INTO privacy_jobs (id, project_id, kind, params, requested_by) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (id) DO NOTHING RETURNING ${JOB_COLUMNS}`,
    [job.id ?? `pj_${randomBytes(12).toString('base64url')}`, job.projectId, job.kind, JSON.stringify(job.params), job.requestedBy ?? null],
  );
  return row ? normalizeJob(row) : null;
}
