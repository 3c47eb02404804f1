/**
 * The two statements behind `getDashboard`, with one answer: `dashboardRawSql` reads the range's sessions and
 * events; `dashboardRollupSql` sums the rollups (judged sessions, migration `rollups`) and reads raw only the sessions
 * not judged yet (the last half hour or so). Both end in the same CTEs and the same final SELECT, so a figure cannot
 * be computed two ways. Page views and errors belong to their session's day (a session crossing midnight counts on
 * the day it started, everywhere).
 */
import type { RollupSlice } from './rollupSlice.ts';
import type { SessionWhere } from './sessionFilters.ts';

const TOP = 10;

/**
 * From `errs` (message, url, browser, errors, sessions — each session counted once per message) and the CTEs named
 * by the statements: top errors with their top pages and browsers, and the final row. Keys whose rollup deltas
 * cancel out (an erased or un-judged session, not yet compacted) sum to zero and are left out.
 */
const FINAL = `
  top_errors AS (
    SELECT message, sum(errors)::int AS count, sum(sessions)::int AS sessions
      FROM errs GROUP BY message HAVING sum(errors) > 0 ORDER BY count DESC, message LIMIT ${TOP}
  ),
  error_pages AS MATERIALIZED (
    SELECT message, url, sum(errors)::int AS count, row_number() OVER (PARTITION BY message ORDER BY sum(errors) DESC, url) AS rn
      FROM errs WHERE message IN (SELECT message FROM top_errors) GROUP BY message, url HAVING sum(errors) > 0
  ),
  error_browsers AS MATERIALIZED (
    SELECT message, browser, sum(errors)::int AS count, row_number() OVER (PARTITION BY message ORDER BY sum(errors) DESC, browser) AS rn
      FROM errs WHERE message IN (SELECT message FROM top_errors) GROUP BY message, browser HAVING sum(errors) > 0
  ),
  top_pages AS (
    SELECT url, sum(page_views)::int AS page_views, sum(sessions)::int AS sessions
      FROM pages GROUP BY url HAVING sum(sessions) > 0 ORDER BY page_views DESC, url LIMIT ${TOP}
  ),
  top_sources AS (
    SELECT source, sum(sessions)::int AS sessions FROM sources GROUP BY source HAVING sum(sessions) > 0 ORDER BY sessions DESC, source LIMIT ${TOP}
  )
  SELECT (SELECT row_to_json(t) FROM totals t) AS totals,
         (SELECT json_agg(t ORDER BY t.day) FROM trend t) AS trend,
         (SELECT json_agg(p ORDER BY p.page_views DESC, p.url) FROM top_pages p) AS pages,
         (SELECT json_agg(x ORDER BY x.sessions DESC, x.source) FROM top_sources x) AS sources,
         (SELECT json_agg(json_build_object(
             'message', te.message, 'count', te.count, 'sessions', te.sessions,
             'pages', (SELECT json_agg(json_build_object('url', ep.url, 'count', ep.count) ORDER BY ep.rn) FROM error_pages ep WHERE ep.message = te.message AND ep.rn <= 3),
             'browsers', (SELECT json_agg(json_build_object('browser', eb.browser, 'count', eb.count) ORDER BY eb.rn) FROM error_browsers eb WHERE eb.message = te.message AND eb.rn <= 3)
           ) ORDER BY te.count DESC, te.message) FROM top_errors te) AS errors`;

/**
 * Per (message, url, browser) of the sessions in `from`: errors, and sessions counted once per message (on its first
 * URL). Sums are cast back to bigint here and below: a numeric branch would make the union convert every rollup row.
 */
const errorsOf = (from: string, start: string): string => `
    SELECT message, url, browser, sum(n)::bigint AS errors, count(*) FILTER (WHERE first) AS sessions
      FROM (SELECT e.message, e.url, x.browser, count(*) AS n, e.url = min(e.url) OVER (PARTITION BY e.session_id, e.message) AS first
              FROM js_errors e JOIN ${from} x ON x.id = e.session_id
             WHERE e.project_id = $1 AND e.ts >= ${start}
             GROUP BY e.session_id, e.message, e.url, x.browser) per_session
     GROUP BY message, url, browser`;

/** Per URL of the sessions in `from`: page views and sessions (two hash aggregates: count(DISTINCT) would sort). */
const pagesOf = (from: string, start: string): string => `
    SELECT url, sum(n)::bigint AS page_views, count(*) AS sessions
      FROM (SELECT pv.url, pv.session_id, count(*) AS n
              FROM page_views pv JOIN ${from} x ON x.id = pv.session_id
             WHERE pv.project_id = $1 AND pv.started_at >= ${start}
             GROUP BY pv.url, pv.session_id) per_session
     GROUP BY url`;

const sessionColumns = (tz: string): string => `s.id, s.visitor_id, (s.started_at AT TIME ZONE ${tz})::date AS day, s.page_count,
           s.max_scroll_depth, s.duration_ms, s.error_count, s.referrer, coalesce(s.browser, 'unknown') AS browser`;

/** Every figure from the range's sessions and events (any filter). */
export function dashboardRawSql(where: SessionWhere): string {
  return `WITH
  s AS MATERIALIZED (
    SELECT ${sessionColumns(where.tz)}, s.analyzed_at IS NOT NULL AS judged, s.active_ms, s.rage_clicks,
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
    SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS sessions, count(DISTINCT visitor_id)::int AS visitors,
           sum(page_count)::int AS page_views
      FROM s GROUP BY s.day
  ),
  pages AS (${pagesOf('s', where.start)}),
  -- The source rule per distinct referrer, not per session.
  sources AS (SELECT loupe_source(referrer) AS source, n AS sessions FROM (SELECT referrer, count(*) AS n FROM s GROUP BY referrer) x),
  errs AS (${errorsOf('s', where.start)}),${FINAL}`;
}

/**
 * The same figures from the rollups plus the not-yet-judged sessions, for filters a rollup slice answers (a range,
 * and a device or one other filter value: `rollupSlice.ts`). `params` already holds `where`'s parameters; the
 * slice's are appended.
 */
export function dashboardRollupSql(where: SessionWhere, params: unknown[], slice: RollupSlice): string {
  const p = (v: unknown): string => `$${params.push(v)}`;
  const from = `${p(where.from)}::date`;
  const to = `${p(where.to)}::date`;
  const scope = p(slice.scope);
  const dev = slice.device ? ` AND device = ${p(slice.device)}::device_class` : '';
  const days = `project_id = $1 AND segment = ${p(slice.segment)} AND day BETWEEN ${from} AND ${to}${dev}`;
  const seen = (v: string, day: string): string =>
    `EXISTS (SELECT 1 FROM visitor_days vd WHERE vd.project_id = $1 AND vd.visitor_id = ${v} AND vd.scope = ${scope} AND ${day})`;
  return `WITH
  fresh AS MATERIALIZED (
    SELECT ${sessionColumns(where.tz)} FROM sessions s WHERE ${where.sql} AND s.analyzed_at IS NULL
  ),
  sr AS MATERIALIZED (SELECT * FROM session_rollups WHERE ${days}),
  vr AS MATERIALIZED (SELECT day, prev_day, visitors FROM visitor_rollups WHERE project_id = $1 AND scope = ${scope} AND day BETWEEN ${from} AND ${to}),
  fresh_visitor_days AS MATERIALIZED (SELECT DISTINCT visitor_id, day FROM fresh),
  r AS (
    SELECT coalesce(sum(sessions), 0) AS sessions, coalesce(sum(page_views), 0) AS page_views, coalesce(sum(scroll_sum), 0) AS scroll,
           coalesce(sum(duration_ms_sum), 0) AS duration, coalesce(sum(error_sessions), 0) AS error_sessions,
           sum(active_ms_sum) AS active, coalesce(sum(rage_sessions), 0) AS rage, coalesce(sum(dead_sessions), 0) AS dead,
           coalesce(sum(error_click_sessions), 0) AS error_clicks, coalesce(sum(excessive_sessions), 0) AS excessive,
           coalesce(sum(quick_back_sessions), 0) AS quick_backs
      FROM sr
  ),
  f AS (
    SELECT count(*) AS sessions, coalesce(sum(page_count), 0) AS page_views, coalesce(sum(max_scroll_depth), 0) AS scroll,
           coalesce(sum(duration_ms), 0) AS duration, count(*) FILTER (WHERE error_count > 0) AS error_sessions
      FROM fresh
  ),
  -- Visitors of the range: the rollups' (each counted on its first active day of the range), plus visitors of
  -- unjudged sessions the rollups do not hold for the range.
  visitors AS (
    SELECT (SELECT coalesce(sum(visitors), 0) FROM vr WHERE prev_day < ${from})
         + (SELECT count(*) FROM (SELECT DISTINCT visitor_id FROM fresh) x
             WHERE NOT ${seen('x.visitor_id', `vd.day BETWEEN ${from} AND ${to}`)}) AS n
  ),
  totals AS (
    SELECT (r.sessions + f.sessions)::int AS sessions, (SELECT n FROM visitors)::int AS visitors, (r.page_views + f.page_views)::int AS page_views,
           CASE WHEN r.sessions + f.sessions > 0 THEN ((r.scroll + f.scroll) / (r.sessions + f.sessions))::float8 END AS scroll,
           CASE WHEN r.sessions + f.sessions > 0 THEN ((r.duration + f.duration)::float8 / (r.sessions + f.sessions) / 1000)::float8 END AS duration,
           (r.error_sessions + f.error_sessions)::int AS error_sessions, r.sessions::int AS judged,
           CASE WHEN r.sessions > 0 THEN (r.active::float8 / r.sessions / 1000)::float8 END AS active,
           r.rage::int AS rage, r.dead::int AS dead, r.error_clicks::int AS error_clicks, r.excessive::int AS excessive,
           r.quick_backs::int AS quick_backs
      FROM r, f
  ),
  trend AS (
    SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(sessions)::int AS sessions, sum(visitors)::int AS visitors, sum(page_views)::int AS page_views
      FROM (SELECT day, sessions, 0 AS visitors, page_views FROM sr
            UNION ALL SELECT day, 0, visitors, 0 FROM vr
            UNION ALL SELECT day, 1, 0, page_count FROM fresh
            UNION ALL SELECT x.day, 0, 1, 0 FROM fresh_visitor_days x WHERE NOT ${seen('x.visitor_id', 'vd.day = x.day')}) t
     GROUP BY day HAVING sum(sessions) > 0
  ),
  pages AS (
    SELECT url, page_views, sessions FROM page_rollups WHERE ${days}
    UNION ALL ${pagesOf('fresh', where.start)}
  ),
  sources AS (SELECT source, sessions FROM sr UNION ALL SELECT loupe_source(referrer), 1 FROM fresh),
  errs AS (
    SELECT message, url, browser, errors, sessions FROM error_rollups WHERE ${days}
    UNION ALL ${errorsOf('fresh', where.start)}
  ),${FINAL}`;
}
