import type { SqlRunner } from '@loupe/prisma/sql';

/** Unfinished privacy jobs untouched for `idleMs`: their queue message was lost or their worker died. */
export async function listStalePrivacyJobs(sql: SqlRunner, idleMs: number): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT id FROM privacy_jobs WHERE status IN ('queued', 'running') AND updated_at < now() - make_interval(secs => $1)
      ORDER BY created_at LIMIT 1000`,
    [idleMs / 1000],
  );
  return rows.map((r) => r.id);
}
