import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { newId } from '../auth/apiTokens.ts';
import { HttpError } from '../http/errors.ts';

export const rotatedKeyView = z.object({
  ingestKey: z.string(),
  previousIngestKey: z.string(),
  previousIngestKeyExpiresAt: z.string(),
});

/**
 * Gives the project a new ingest key. The old one keeps working for `graceHours` (pages cached with the old
 * snippet keep reporting while caches expire); the key before it stops at once.
 */
export async function rotateIngestKey(sql: SqlRunner, projectId: string, graceHours: number): Promise<z.infer<typeof rotatedKeyView>> {
  const [row] = await sql.query<{ ingest_key: string; previous_ingest_key: string; previous_ingest_key_expires_at: Date }>(
    `UPDATE projects SET previous_ingest_key = ingest_key,
            previous_ingest_key_expires_at = now() + make_interval(hours => $3),
            ingest_key = $2
      WHERE id = $1
      RETURNING ingest_key, previous_ingest_key, previous_ingest_key_expires_at`,
    [projectId, newId('pk_', 18), graceHours],
  );
  if (!row) throw new HttpError(404, 'not_found', 'no such project');
  return {
    ingestKey: row.ingest_key,
    previousIngestKey: row.previous_ingest_key,
    previousIngestKeyExpiresAt: new Date(row.previous_ingest_key_expires_at).toISOString(),
  };
}
