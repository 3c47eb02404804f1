import type { SqlRunner } from '@loupe/prisma/sql';

/**
 * Unfinished privacy jobs that may have no queue message: queued ones idle for `queuedIdleMs` (message lost with
 * Redis or the embedded process, or handed back at shutdown) and running ones idle for `runningIdleMs` (worker died;
 * a live one touches its row with every step).
 */
export async function listStalePrivacyJobs(sql: SqlRunner, queuedIdleMs: number, runningIdleMs: number): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT id FROM privacy_jobs
      WHERE (status = 'queued' AND updated_at < now() - make_interval(secs => $1))
         OR (status = 'running' AND updated_at < now() - make_interval(secs => $2))
      ORDER BY created_at LIMIT 1000`,
    [queuedIdleMs / 1000, runningIdleMs / 1000],
  );
  return rows.map((r) => r.id);
}
