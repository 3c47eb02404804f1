import type { SqlRunner } from '@loupe/prisma/sql';

/**
 * Merges a project's rollup deltas (one row per judged or un-judged session, appended by the triggers of migration
 * `rollups`) into one row per key, for days from `fromDay` (YYYY-MM-DD) on, or all days. Readers sum rows either way:
 * this only keeps the tables small. Safe beside the triggers and another compactor.
 */
export async function compactRollups(sql: SqlRunner, projectId: string, fromDay: string | null): Promise<void> {
  await sql.query(`SELECT loupe_compact_rollups($1, coalesce($2::date, '-infinity'::date))`, [projectId, fromDay]);
}
