import { parseProjectSettings, type ProjectSettings } from '@loupe/contract';
import type { SqlRunner } from '@loupe/prisma/sql';

/** Projects the retention run goes through (not those being deleted), with their settings parsed with defaults. */
export async function listRetentionProjects(sql: SqlRunner): Promise<{ id: string; settings: ProjectSettings }[]> {
  const rows = await sql.query<{ id: string; settings: unknown }>('SELECT id, settings FROM projects WHERE deleted_at IS NULL ORDER BY id');
  return rows.map((r) => ({ id: r.id, settings: parseProjectSettings(typeof r.settings === 'string' ? JSON.parse(r.settings) : r.settings) }));
}
