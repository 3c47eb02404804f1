/**
 * Where one visitor's rows are, table by table: the filters shared by erasure and export. Built from the discovered
 * tables, so a new table with `visitor_id` or `session_id` is covered without code here.
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import { findVisitorsByIdentifyHash, inboxVisitorId } from '../queries/findVisitorsByIdentifyHash.ts';
import { listVisitorSessions } from '../queries/listVisitorSessions.ts';
import type { RowFilter } from './batchDelete.ts';
import type { VisitorSelector } from './jobTypes.ts';
import type { ProjectTable, VisitorKey } from './tableRegistry.ts';

/** The order rows are deleted in, so a re-run still finds what it needs: sessions go after the rows found through them. */
const KEY_ORDER: Record<VisitorKey, number> = { inbox: 0, session_id: 1, visitor_id: 2, id: 4, none: 9 };

export interface VisitorTableScope {
  table: string;
  filter: RowFilter;
}

/** The visitor ids a selector names (an identify hash may name several devices), sorted. */
export async function resolveVisitorIds(sql: SqlRunner, projectId: string, selector: VisitorSelector): Promise<string[]> {
  if ('visitorId' in selector) return [selector.visitorId];
  return findVisitorsByIdentifyHash(sql, projectId, selector.identifyHash);
}

/** Ids of unprocessed inbox batches of these visitors (decoded in JS: bodies are text, unprocessed rows are few). */
export async function listPendingInboxIds(sql: SqlRunner, projectId: string, visitorIds: readonly string[]): Promise<string[]> {
  const wanted = new Set(visitorIds);
  const out: string[] = [];
  let after = '0';
  for (;;) {
    const rows = await sql.query<{ id: string; body: string }>(
      `SELECT id::text AS id, body FROM inbox_batches
        WHERE project_id = $1 AND processed_at IS NULL AND id > $2::bigint ORDER BY id LIMIT 1000`,
      [projectId, after],
    );
    for (const r of rows) {
      const v = inboxVisitorId(r.body);
      if (v !== null && wanted.has(v)) out.push(r.id);
    }
    if (rows.length < 1000) return out;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The filter of each table holding this visitor's rows, in deletion order: inbox, tables reached through the
 * visitor's sessions, tables with `visitor_id`, `sessions`, `visitors`. Tables with no visitor key are left out.
 */
export async function visitorScopes(
  sql: SqlRunner,
  projectId: string,
  visitorIds: readonly string[],
  tables: readonly ProjectTable[],
): Promise<VisitorTableScope[]> {
  const { sessionIds, clientSessionIds } = await listVisitorSessions(sql, projectId, visitorIds);
  const order = (t: ProjectTable) => KEY_ORDER[t.visitorKey] + (t.name === 'sessions' ? 1 : 0);
  const scopes: VisitorTableScope[] = [];
  for (const t of [...tables].sort((a, b) => order(a) - order(b))) {
    switch (t.visitorKey) {
      case 'inbox': {
        const pending = await listPendingInboxIds(sql, projectId, visitorIds);
        // Processed batches are found by the tracker's session id (indexed), pending ones by their decoded body.
        scopes.push({
          table: t.name,
          filter: { where: 'project_id = $1 AND (session_id = ANY($2::text[]) OR id = ANY($3::bigint[]))', params: [projectId, clientSessionIds, pending] },
        });
        break;
      }
      case 'session_id':
        scopes.push({ table: t.name, filter: { where: 'project_id = $1 AND session_id = ANY($2::text[])', params: [projectId, sessionIds] } });
        break;
      case 'visitor_id':
        scopes.push({ table: t.name, filter: { where: 'project_id = $1 AND visitor_id = ANY($2::text[])', params: [projectId, visitorIds] } });
        break;
      case 'id':
        scopes.push({ table: t.name, filter: { where: 'project_id = $1 AND id = ANY($2::text[])', params: [projectId, visitorIds] } });
        break;
      case 'none':
        break;
    }
  }
  return scopes;
}
