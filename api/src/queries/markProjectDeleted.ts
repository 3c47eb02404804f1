import type { SqlRunner } from '@loupe/prisma/sql';
import { lockOutIngest } from '../privacy/ingestLock.ts';

/**
 * Marks a project as being deleted (idempotent: the first mark's time is kept), inside the caller's transaction.
 * Takes the privacy lock, so ingest transactions in flight finish first and later ones drop the project's batches.
 * Returns false when the project row does not exist.
 */
export async function markProjectDeleted(tx: SqlRunner, projectId: string): Promise<boolean> {
  await lockOutIngest(tx);
  const rows = await tx.query('UPDATE projects SET deleted_at = COALESCE(deleted_at, now()) WHERE id = $1 RETURNING id', [projectId]);
  return rows.length > 0;
}
