import type { SqlRunner } from '@loupe/prisma/sql';

/**
 * Visitor ids that identified with this hash: on visitors and sessions, and in not-yet-processed inbox batches
 * (the hash is hex, so it appears verbatim in a body that carries it; the body is decoded to be sure).
 */
export async function findVisitorsByIdentifyHash(sql: SqlRunner, projectId: string, identifyHash: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT id FROM visitors WHERE project_id = $1 AND identify_hash = $2
     UNION SELECT visitor_id FROM sessions WHERE project_id = $1 AND identify_hash = $2`,
    [projectId, identifyHash],
  );
  const ids = new Set(rows.map((r) => r.id));
  const pending = await sql.query<{ body: string }>(
    `SELECT body FROM inbox_batches WHERE project_id = $1 AND processed_at IS NULL AND strpos(body, $2) > 0`,
    [projectId, identifyHash],
  );
  for (const { body } of pending) {
    const visitorId = inboxVisitorId(body);
    if (visitorId && body.includes(identifyHash)) ids.add(visitorId);
  }
  return [...ids].sort();
}

/** The visitor id of a raw inbox body (wire key `vi` of the envelope), or null for a body that is not a batch. */
export function inboxVisitorId(body: string): string | null {
  try {
    const wire = JSON.parse(body) as { vi?: unknown };
    return typeof wire.vi === 'string' ? wire.vi : null;
  } catch {
    return null;
  }
}
