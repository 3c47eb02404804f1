import type { SqlRunner } from '@loupe/prisma/sql';
import { visitorHash } from '../privacy/visitorHash.ts';

/** `projectId + "\u0000" + visitorId`, the key `listBlockedVisitors` answers with. */
export const visitorKey = (projectId: string, visitorId: string): string => `${projectId}\u0000${visitorId}`;

/**
 * Of the given (project, visitor) pairs, those whose batches must be dropped: the visitor was erased (a tombstone
 * in `visitor_erasures`) or the project is gone or being deleted. One set-based statement per claim, on the hot
 * path: both lookups are primary-key probes.
 */
export async function listBlockedVisitors(
  tx: SqlRunner,
  pairs: readonly { projectId: string; visitorId: string }[],
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await tx.query<{ project_id: string; visitor_id: string }>(
    `SELECT b.project_id, b.visitor_id
       FROM unnest($1::text[], $2::text[], $3::text[]) AS b(project_id, visitor_id, visitor_hash)
      WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = b.project_id AND p.deleted_at IS NULL)
         OR EXISTS (SELECT 1 FROM visitor_erasures e WHERE e.project_id = b.project_id AND e.visitor_hash = b.visitor_hash)`,
    [pairs.map((p) => p.projectId), pairs.map((p) => p.visitorId), pairs.map((p) => visitorHash(p.visitorId))],
  );
  return new Set(rows.map((r) => visitorKey(r.project_id, r.visitor_id)));
}
