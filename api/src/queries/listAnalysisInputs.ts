import type { SqlRunner } from '@loupe/prisma/sql';
import type { SessionInput } from '../insights/types.ts';

const ms = (v: Date | string): number => new Date(v).getTime();

/** Everything the insight rules read about the given sessions: page views, clicks, scroll samples and errors. */
export async function listAnalysisInputs(tx: SqlRunner, projectId: string, sessionIds: readonly string[]): Promise<SessionInput[]> {
  const p = [projectId, sessionIds];
  const sessions = await tx.query<{ id: string; started_at: Date }>(
    'SELECT id, started_at FROM sessions WHERE project_id = $1 AND id = ANY($2::text[])', p);
  const pageViews = await tx.query<{ id: string; session_id: string; url: string; started_at: Date; last_event_at: Date; active_ms: number | null }>(
    `SELECT id, session_id, url, started_at, last_event_at, active_ms FROM page_views
      WHERE project_id = $1 AND session_id = ANY($2::text[])`, p);
  const clicks = await tx.query<{ session_id: string; page_view_id: string; ts: Date; page_x: number; page_y: number; selector: string; interactive: boolean; reaction: string | null }>(
    `SELECT session_id, page_view_id, ts, page_x, page_y, selector, interactive, reaction FROM clicks
      WHERE project_id = $1 AND session_id = ANY($2::text[]) ORDER BY ts, batch_id, idx`, p);
  const scrolls = await tx.query<{ session_id: string; page_view_id: string; ts: Date; y: number }>(
    `SELECT session_id, page_view_id, ts, y FROM scrolls
      WHERE project_id = $1 AND session_id = ANY($2::text[]) ORDER BY ts, batch_id, idx`, p);
  const errors = await tx.query<{ session_id: string; page_view_id: string; ts: Date; message: string }>(
    `SELECT session_id, page_view_id, ts, message FROM js_errors
      WHERE project_id = $1 AND session_id = ANY($2::text[]) ORDER BY ts, batch_id, idx`, p);

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
