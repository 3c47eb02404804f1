/**
 * The identify hash, as the tracker computes it: lowercase hex SHA-256 over UTF-8 of `salt + "\n" + normalized`,
 * where `normalized` trims the raw id and lower-cases it when it contains '@' (an e-mail address).
 * TODO(merge): use @loupe/contract identify.ts (`normalizeIdentifyId`, `identifyHashInput`) and the
 * `projects.identify_salt` column once they are on this branch.
 */
import { createHash } from 'node:crypto';
import type { SqlRunner } from '@loupe/prisma/sql';

/** Trims; ids containing '@' are lower-cased, other ids keep their case (same rule as the tracker). */
export function normalizeIdentifyId(raw: string): string {
  const id = raw.trim();
  return id.includes('@') ? id.toLowerCase() : id;
}

/** The hash the tracker sends for `loupe('identify', raw)` in a project whose salt is `salt`. */
export function hashIdentifyId(salt: string, raw: string): string {
  return createHash('sha256').update(`${salt}\n${normalizeIdentifyId(raw)}`, 'utf8').digest('hex');
}

/**
 * The project's identify salt, or null when the column does not exist (yet) or is empty. Reads the catalog first
 * so this works before and after the merge that adds `projects.identify_salt`.
 */
export async function readIdentifySalt(sql: SqlRunner, projectId: string): Promise<string | null> {
  const [col] = await sql.query(
    `SELECT 1 FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'projects' AND column_name = 'identify_salt'`,
  );
  if (!col) return null;
  const [row] = await sql.query<{ salt: string | null }>('SELECT identify_salt AS salt FROM projects WHERE id = $1', [projectId]);
  return row?.salt || null;
}
