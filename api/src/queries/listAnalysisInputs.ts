import type { SqlRunner } from '@loupe/prisma/sql';
import type { SessionInput } from '../insights/types.ts';

const ms = (v: Date | string): number => new Date(v).getTime();

/** Clicks, scroll samples and errors read per session at most: a session beyond that (a bot) is judged on its start. */
export const MAX_EVENTS_PER_KIND = 20_000;

/** Rows of an event table for the sessions, in time order, at most MAX_EVENTS_PER_KIND per session. */
const capped = (table: string, columns: string, max: number): string => `
  SELECT ${columns} FROM (
    SELECT ${columns}, row_number() OVER (PARTITION BY session_id ORDER BY ts, batch_id, idx) AS n, batch_id, idx
      FROM ${table} WHERE project_id = $1 AND session_id = ANY($2::text[])
  ) e WHERE n <= ${Math.floor(max)} ORDER BY ts, batch_id, idx`;

/** Everything the insight rules read about the given sessions: page views, clicks, scroll samples and errors. */
export async function listAnalysisInputs(
  tx: SqlRunner,
  projectId: string,
  sessionIds: readonly string[],
  maxPerKind = MAX_EVENTS_PER_KIND,
): Promise<SessionInput[]> {
  const p = [projectId, sessionIds];
  const sessions = await tx.query<{ id: string; started_at: Date }>(
    'SELECT id, started_at FROM sessions WHERE project_id = $1 AND id = ANY($2::text[])', p);
  const pageViews = await tx.query<{ id: string; session_id: string; url: string; started_at: Date; last_event_at: Date; active_ms: number | null }>(
    `SELECT id, session_id, url, started_at, last_event_at, active_ms FROM page_views
      WHERE project_id = $1 AND session_id = ANY($2::text[])`, p);
  const clicks = await tx.query<{ session_id: string; page_view_id: string; ts: Date; page_x: number; page_y: number; selector: string; interactive: boolean; reaction: string | null }>(
    capped('clicks', 'session_id, page_view_id, ts, page_x, page_y, selector, interactive, reaction', maxPerKind), p);
  const scrolls = await tx.query<{ session_id: string; page_view_id: string; ts: Date; y: number }>(
    capped('scrolls', 'session_id, page_view_id, ts, y', maxPerKind), p);
  const errors = await tx.query<{ session_id: string; page_view_id: string; ts: Date; message: string }>(
    capped('js_errors', 'session_id, page_view_id, ts, message', maxPerKind), p);

  const byId = new Map<string, SessionInput>();
  for (const s of sessions) {
    byId.set(s.id, { projectId, id: s.id, startedAt: ms(s.started_at), pageViews: [], clicks: [], scrolls: [], errors: [] });
  }
  for (const r of pageViews) {
    byId.get(r.session_id)?.pageViews.push({ id: r.id, url: r.url, startedAt: ms(r.started_at), lastEventAt: ms(r.last_event_at), activeMs: r.active_ms });
  }
  for (const r of clicks) {
    byId.get(r.session_id)?.clicks.push({
      pageViewId: r.page_view_id, ts: ms(r.ts), pageX: r.page_x, pageY: r.page_y, selector: r.selector, interactive: r.interactive, reaction: r.reaction,
    });
  }
  for (const r of scrolls) byId.get(r.session_id)?.scrolls.push({ pageViewId: r.page_view_id, ts: ms(r.ts), y: r.y });
  for (const r of errors) byId.get(r.session_id)?.errors.push({ pageViewId: r.page_view_id, ts: ms(r.ts), message: r.message });
  return [...byId.values()];
}
