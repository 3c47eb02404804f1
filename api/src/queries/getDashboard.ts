/**
 * The dashboard's figures for a project, a date range (whole days in the project's time zone) and session filters:
 * totals, a per-day trend, top pages, top traffic sources and top JavaScript errors with where they happen. One
 * statement; the filtered sessions are read once.
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { runAnalyticsStatement } from './runAnalyticsStatement.ts';
import { SOURCE_SQL, sessionWhere, type SessionFilters, type SessionWhere } from './sessionFilters.ts';

export const dashboardView = z.object({
  range: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  totals: z.object({
    sessions: z.number().int(),
    uniqueVisitors: z.number().int(),
    pageViews: z.number().int(),
    pagesPerSession: z.number().nullable(),
    /** Mean of each session's deepest scroll, 0..1. */
    averageScrollDepth: z.number().nullable(),
    averageDurationSeconds: z.number().nullable(),
    /** Share of sessions with at least one JavaScript error. */
    errorSessionShare: z.number().nullable(),
    /** Mean time per session spent on visible pages with recent input (judged sessions). */
    averageActiveSeconds: z.number().nullable(),
    /** Sessions the insight analyzer has judged (ended ones): the denominator of `insightShares`. */
    judgedSessions: z.number().int(),
  }),
  /** Share of judged sessions with at least one of each insight. */
  insightShares: z.object({
    rageClick: z.number().nullable(),
    deadClick: z.number().nullable(),
    errorClick: z.number().nullable(),
    excessiveScroll: z.number().nullable(),
    quickBack: z.number().nullable(),
  }),
  /** One entry per day of the range, zeros included. */
  trend: z.array(z.object({ day: z.string(), sessions: z.number().int(), uniqueVisitors: z.number().int(), pageViews: z.number().int() })),
  topPages: z.array(z.object({ url: z.string(), pageViews: z.number().int(), sessions: z.number().int() })),
  topSources: z.array(z.object({ source: z.string(), sessions: z.number().int() })),
  topErrors: z.array(
    z.object({
      message: z.string(),
      count: z.number().int(),
      sessions: z.number().int(),
      pages: z.array(z.object({ url: z.string(), count: z.number().int() })),
      browsers: z.array(z.object({ browser: z.string(), count: z.number().int() })),
    }),
  ),
});
export type DashboardView = z.infer<typeof dashboardView>;

const TOP = 10;

interface Row {
  totals: {
    sessions: number; visitors: number; page_views: number; scroll: number | null; duration: number | null; error_sessions: number;
    judged: number; active: number | null; rage: number; dead: number; error_clicks: number; excessive: number; quick_backs: number;
  };
  trend: { day: string; sessions: number; visitors: number; page_views: number }[] | null;
  pages: { url: string; page_views: number; sessions: number }[] | null;
  sources: { source: string; sessions: number }[] | null;
  errors: { message: string; count: number; sessions: number; pages: { url: string; count: number }[]; browsers: { browser: string; count: number }[] }[] | null;
}

/** The statement behind `getDashboard`, for `bench/insights/explain.ts`. */
export function dashboardSqlForExplain(where: SessionWhere): string {
  return dashboardSql(where);
}
function dashboardSql(where: SessionWhere): string {
  const tz = where.tz;
  return `WITH
  s AS MATERIALIZED (
    SELECT s.id, s.visitor_id, s.started_at, s.page_count, s.max_scroll_depth, s.duration_ms, s.error_count, s.referrer,
           coalesce(s.browser, 'unknown') AS browser, s.analyzed_at IS NOT NULL AS judged, s.active_ms, s.rage_clicks,
           s.dead_clicks, s.error_clicks, s.excessive_scrolls, s.quick_backs
      FROM sessions s WHERE ${where.sql}
  ),
  totals AS (
    -- Distinct visitors through a hash aggregate rather than count(DISTINCT), which sorts a million ids.
    SELECT count(*)::int AS sessions, (SELECT count(*) FROM (SELECT DISTINCT visitor_id FROM s) v)::int AS visitors, coalesce(sum(page_count), 0)::int AS page_views,
           avg(max_scroll_depth)::float8 AS scroll, (avg(duration_ms) / 1000)::float8 AS duration,
           count(*) FILTER (WHERE error_count > 0)::int AS error_sessions,
           count(*) FILTER (WHERE judged)::int AS judged, (avg(active_ms) FILTER (WHERE judged) / 1000)::float8 AS active,
           count(*) FILTER (WHERE judged AND rage_clicks > 0)::int AS rage,
           count(*) FILTER (WHERE judged AND dead_clicks > 0)::int AS dead,
           count(*) FILTER (WHERE judged AND error_clicks > 0)::int AS error_clicks,
           count(*) FILTER (WHERE judged AND excessive_scrolls > 0)::int AS excessive,
           count(*) FILTER (WHERE judged AND quick_backs > 0)::int AS quick_backs
      FROM s
  ),
  trend AS (
    SELECT to_char(started_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, count(*)::int AS sessions,
           count(DISTINCT visitor_id)::int AS visitors, sum(page_count)::int AS page_views
      FROM s GROUP BY 1
  ),
  -- Two hash aggregates (per session and URL, then per URL) instead of count(DISTINCT), which sorts every page view.
  pages AS (
    SELECT url, sum(n)::int AS page_views, count(*)::int AS sessions
      FROM (SELECT pv.url, pv.session_id, count(*) AS n
              FROM page_views pv JOIN s ON s.id = pv.session_id
             WHERE pv.project_id = $1 AND pv.started_at >= ${where.start} AND pv.started_at < ${where.end} + interval '1 day'
             GROUP BY pv.url, pv.session_id) per_session
     GROUP BY url ORDER BY page_views DESC, url LIMIT ${TOP}
  ),
  sources AS (
    SELECT source, sum(n)::int AS sessions
      FROM (SELECT ${SOURCE_SQL} AS source, n FROM (SELECT referrer, count(*) AS n FROM s GROUP BY referrer) s) r
     GROUP BY source ORDER BY sessions DESC, source LIMIT ${TOP}
  ),
  errs AS (
    SELECT e.message, e.url, e.session_id, s.browser
      FROM js_errors e JOIN s ON s.id = e.session_id
     WHERE e.project_id = $1 AND e.ts >= ${where.start} AND e.ts < ${where.end} + interval '1 day'
  ),
  top_errors AS (
    SELECT message, count(*)::int AS count, count(DISTINCT session_id)::int AS sessions
      FROM errs GROUP BY message ORDER BY count DESC, message LIMIT ${TOP}
  ),
  error_pages AS (
    SELECT message, url, count(*)::int AS count, row_number() OVER (PARTITION BY message ORDER BY count(*) DESC, url) AS rn
      FROM errs WHERE message IN (SELECT message FROM top_errors) GROUP BY message, url
  ),
  error_browsers AS (
    SELECT message, browser, count(*)::int AS count, row_number() OVER (PARTITION BY message ORDER BY count(*) DESC, browser) AS rn
      FROM errs WHERE message IN (SELECT message FROM top_errors) GROUP BY message, browser
  )
  SELECT (SELECT row_to_json(t) FROM totals t) AS totals,
         (SELECT json_agg(t ORDER BY t.day) FROM trend t) AS trend,
         (SELECT json_agg(p ORDER BY p.page_views DESC, p.url) FROM pages p) AS pages,
         (SELECT json_agg(x ORDER BY x.sessions DESC, x.source) FROM sources x) AS sources,
         (SELECT json_agg(json_build_object(
             'message', te.message, 'count', te.count, 'sessions', te.sessions,
             'pages', (SELECT json_agg(json_build_object('url', ep.url, 'count', ep.count) ORDER BY ep.rn) FROM error_pages ep WHERE ep.message = te.message AND ep.rn <= 3),
             'browsers', (SELECT json_agg(json_build_object('browser', eb.browser, 'count', eb.count) ORDER BY eb.rn) FROM error_browsers eb WHERE eb.message = te.message AND eb.rn <= 3)
           ) ORDER BY te.count DESC, te.message) FROM top_errors te) AS errors`;
}

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

export async function getDashboard(
  sql: SqlRunner,
  projectId: string,
  timeZone: string,
  filters: SessionFilters,
  regexUrls: readonly string[] = [],
  today = new Date(),
): Promise<DashboardView> {
  const params: unknown[] = [projectId];
  const where = sessionWhere(filters, timeZone, params, today, regexUrls);
  const row = await runAnalyticsStatement<Row>(sql, dashboardSql(where), params);
  const t = row!.totals;
  const byDay = new Map((row!.trend ?? []).map((d) => [d.day, d]));
  const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
  return {
    range: { from: where.from, to: where.to, timeZone },
    totals: {
      sessions: t.sessions,
      uniqueVisitors: t.visitors,
      pageViews: t.page_views,
      pagesPerSession: ratio(t.page_views, t.sessions),
      averageScrollDepth: t.scroll,
      averageDurationSeconds: t.duration,
      errorSessionShare: ratio(t.error_sessions, t.sessions),
      averageActiveSeconds: t.active,
      judgedSessions: t.judged,
    },
    insightShares: {
      rageClick: ratio(t.rage, t.judged),
      deadClick: ratio(t.dead, t.judged),
      errorClick: ratio(t.error_clicks, t.judged),
      excessiveScroll: ratio(t.excessive, t.judged),
      quickBack: ratio(t.quick_backs, t.judged),
    },
    trend: days(where.from, where.to).map((day) => {
      const d = byDay.get(day);
      return { day, sessions: d?.sessions ?? 0, uniqueVisitors: d?.visitors ?? 0, pageViews: d?.page_views ?? 0 };
    }),
    topPages: (row!.pages ?? []).map((p) => ({ url: p.url, pageViews: p.page_views, sessions: p.sessions })),
    topSources: row!.sources ?? [],
    topErrors: (row!.errors ?? []).map((e) => ({ ...e, pages: e.pages ?? [], browsers: e.browsers ?? [] })),
  };
}
