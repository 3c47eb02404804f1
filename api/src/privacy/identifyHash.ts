/**
 * The identify hash as the tracker computes it (`@loupe/contract` identify.ts: normalised id, salted SHA-256), here
 * with node:crypto, so an admin can erase or export a visitor by the id they know (an e-mail address, a customer id).
 */
import { createHash } from 'node:crypto';
import { identifyHashInput } from '@loupe/contract';
import type { SqlRunner } from '@loupe/prisma/sql';

/** The hash the tracker sends for `loupe('identify', raw)` in a project whose salt is `salt`. */
export function hashIdentifyId(salt: string, raw: string): string {
  return createHash('sha256').update(identifyHashInput(salt, raw), 'utf8').digest('hex');
}

/** The project's identify salt (null for a project that does not exist). */
export async function readIdentifySalt(sql: SqlRunner, projectId: string): Promise<string | null> {
  const [row] = await sql.query<{ salt: string | null }>('SELECT identify_salt AS salt FROM projects WHERE id = $1', [projectId]);
  return row?.salt || null;
}
