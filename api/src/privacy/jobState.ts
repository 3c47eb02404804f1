/**
 * The state machine of a `privacy_jobs` row: queued → running → done | failed. Every step is one UPDATE, so any
 * worker can pick a job up where a dead one left it.
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import type { PrivacyJob } from './jobTypes.ts';

/** The SELECT list that maps a `privacy_jobs` row to `PrivacyJob`. */
export const JOB_COLUMNS = `id, project_id AS "projectId", kind, params, status, progress_done AS "progressDone",
  progress_total AS "progressTotal", result, error, attempts, requested_by AS "requestedBy", created_at AS "createdAt",
  started_at AS "startedAt", updated_at AS "updatedAt", finished_at AS "finishedAt"`;

/** Parses jsonb that a driver returned as text (PGlite and node-postgres both parse it, but be strict). */
export function normalizeJob(row: PrivacyJob): PrivacyJob {
  const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
  return { ...row, params: (parse(row.params) ?? {}) as Record<string, unknown>, result: parse(row.result) };
}

/**
 * Moves a queued (or interrupted running) job to running and returns it; null when it is missing, done or failed,
 * which makes a duplicate or late queue message a no-op.
 */
export async function startJob(sql: SqlRunner, id: string): Promise<PrivacyJob | null> {
  const [row] = await sql.query<PrivacyJob>(
    `UPDATE privacy_jobs SET status = 'running', started_at = COALESCE(started_at, now()), updated_at = now()
      WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${JOB_COLUMNS}`,
    [id],
  );
  return row ? normalizeJob(row) : null;
}

/** Replaces the job's params (e.g. visitor ids resolved once, so a re-run does not depend on rows it deleted). */
export async function saveParams(sql: SqlRunner, id: string, params: Record<string, unknown>): Promise<void> {
  await sql.query('UPDATE privacy_jobs SET params = $2::jsonb, updated_at = now() WHERE id = $1', [id, JSON.stringify(params)]);
}

export async function finishJob(sql: SqlRunner, id: string, result: unknown): Promise<void> {
  await sql.query(
    `UPDATE privacy_jobs SET status = 'done', result = $2::jsonb, error = NULL, finished_at = now(), updated_at = now()
      WHERE id = $1`,
    [id, JSON.stringify(result ?? null)],
  );
}

/** Records a failed attempt; `final` marks the job failed, otherwise it goes back to queued for the queue's retry. */
export async function recordFailure(sql: SqlRunner, id: string, error: string, final: boolean): Promise<void> {
  await sql.query(
    `UPDATE privacy_jobs SET attempts = attempts + 1, error = $2, updated_at = now(),
            status = CASE WHEN $3::boolean THEN 'failed' ELSE 'queued' END,
            finished_at = CASE WHEN $3::boolean THEN now() ELSE NULL END
      WHERE id = $1 AND status IN ('queued', 'running')`,
    [id, error.slice(0, 2000), final],
  );
}

/** Thrown between steps when the worker shuts down; the job is handed back, not failed. */
export class JobInterrupted extends Error {
  constructor() {
    super('privacy job interrupted by shutdown');
  }
}

/** Puts an interrupted job back to queued (no failed attempt counted) so the next worker picks it up. */
export async function requeueJob(sql: SqlRunner, id: string): Promise<void> {
  await sql.query(`UPDATE privacy_jobs SET status = 'queued', updated_at = now() WHERE id = $1 AND status = 'running'`, [id]);
}

/**
 * Progress of a running job, persisted with every step (it also proves the worker is alive: see `updated_at`).
 * `begin(remaining)` sets the total to what is already done plus what remains, so a resumed job keeps counting.
 */
export class Progress {
  private done = 0;
  private total = 0;

  constructor(
    private readonly sql: SqlRunner,
    private readonly jobId: string,
    start: { done: number },
    /** Called after every persisted step; tests use it to interrupt a job midway. */
    private readonly afterStep?: () => Promise<void>,
    private readonly signal?: AbortSignal,
  ) {
    this.done = start.done;
  }

  async begin(remaining: number): Promise<void> {
    this.total = this.done + remaining;
    await this.persist();
  }

  async add(n: number): Promise<void> {
    this.done += n;
    if (this.done > this.total) this.total = this.done;
    await this.persist();
    await this.afterStep?.();
    if (this.signal?.aborted) throw new JobInterrupted();
  }

  private async persist(): Promise<void> {
    await this.sql.query('UPDATE privacy_jobs SET progress_done = $2, progress_total = $3, updated_at = now() WHERE id = $1', [
      this.jobId,
      this.done,
      this.total,
    ]);
  }
}
