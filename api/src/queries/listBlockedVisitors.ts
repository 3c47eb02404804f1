import type { SqlRunner } from '@loupe/prisma/sql';
import { visitorHash } from '../privacy/visitorHash.ts';

/** `projectId + "\u0000" + key`, the keys `listBlockedVisitors` answers with. */
export const visitorKey = (projectId: string, key: string): string => `${projectId}\u0000${key}`;

export interface BlockedSet {
  /** (project, visitor id) keys whose batches must be dropped. */
  visitors: Set<string>;
  /** (project, identify hash) keys that were erased → the erase job that did it. */
  identifyHashes: Map<string, string>;
}

/**
 * Of the given (project, visitor) pairs and (project, identify hash) pairs, those whose batches must be dropped:
 * the visitor was erased (a tombstone in `visitor_erasures`, by hash of the id), the project is gone or being
 * deleted, or the identify hash was erased (`identify_erasures`). One set-based statement per claim, on the hot
 * path: every lookup is a primary-key probe; identify pairs are rare (only batches with an identify event).
 */
export async function listBlockedVisitors(
  tx: SqlRunner,
  pairs: readonly { projectId: string; visitorId: string }[],
  identifies: readonly { projectId: string; identifyHash: string }[] = [],
): Promise<BlockedSet> {
  const out: BlockedSet = { visitors: new Set(), identifyHashes: new Map() };
  if (pairs.length === 0) return out;
  const rows = await tx.query<{ kind: 'v' | 'i'; project_id: string; k: string; job_id: string | null }>(
    `SELECT 'v' AS kind, b.project_id, b.visitor_id AS k, NULL AS job_id
       FROM unnest($1::text[], $2::text[], $3::text[]) AS b(project_id, visitor_id, visitor_hash)
      WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = b.project_id AND p.deleted_at IS NULL)
         OR EXISTS (SELECT 1 FROM visitor_erasures e WHERE e.project_id = b.project_id AND e.visitor_hash = b.visitor_hash)
     UNION ALL
     SELECT 'i', e.project_id, e.identify_hash, e.job_id
       FROM unnest($4::text[], $5::text[]) AS h(project_id, identify_hash)
       JOIN identify_erasures e ON e.project_id = h.project_id AND e.identify_hash = h.identify_hash`,
    [
      pairs.map((p) => p.projectId),
      pairs.map((p) => p.visitorId),
      pairs.map((p) => visitorHash(p.visitorId)),
      identifies.map((i) => i.projectId),
      identifies.map((i) => i.identifyHash),
    ],
  );
  for (const r of rows) {
    if (r.kind === 'v') out.visitors.add(visitorKey(r.project_id, r.k));
    else out.identifyHashes.set(visitorKey(r.project_id, r.k), r.job_id ?? '');
  }
  return out;
}
