/**
 * The event tables of the synthetic store (page views, clicks, JavaScript errors, custom tags), derived from the
 * sessions already written so that every per-session figure (page_count, click_count, error_count, tags, entry and
 * exit URLs, insight counts) agrees with the event rows, as the workers and the analyzer would have left them.
 * Set-based SQL only; the URL of a session's i-th page view comes from a hash of (session number, i), so the session
 * insert and the page-view insert pick the same URLs without a join back.
 */
import type pg from 'pg';
import type { Progress } from '../ingest/util.ts';

/** Hash → [0, 1), deterministic: the generator's "random" draws that must be repeatable across statements. */
const UNIT = (key: string, seed: number): string => `((hashint8extended(${key}, ${seed}) & 1048575)::float8 / 1048576)`;

/**
 * `bench_url(g, i)`: the normalised URL of page view `i` of session `g`. Home 18 %, 20 categories 22 %, 2,000
 * products 42 % (skewed: a few best sellers take most views), cart 11 %, checkout 7 %.
 */
export const URL_FUNCTION_SQL = `
CREATE OR REPLACE FUNCTION bench_url(g bigint, i int) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN u < 0.18 THEN 'https://shop.example.com/'
              WHEN u < 0.40 THEN 'https://shop.example.com/c/category-' || floor(v * 20)::int
              WHEN u < 0.82 THEN 'https://shop.example.com/p/product-' || floor(2000 * v * v * v)::int
              WHEN u < 0.93 THEN 'https://shop.example.com/cart'
              ELSE 'https://shop.example.com/checkout' END
    FROM (SELECT ${UNIT('g * 64 + i', 1)} AS u, ${UNIT('g * 64 + i', 2)} AS v) x
$$`;

const ERROR_MESSAGES = [
  "TypeError: Cannot read properties of undefined (reading 'price')",
  "TypeError: Cannot read properties of null (reading 'addEventListener')",
  'ReferenceError: gtag is not defined',
  'Script error.',
  'Unhandled promise rejection: NetworkError when attempting to fetch resource.',
  "TypeError: undefined is not an object (evaluating 'window.Shopify.theme')",
  'ResizeObserver loop completed with undelivered notifications.',
  'Error: Payment widget failed to load',
  'SyntaxError: Unexpected token < in JSON at position 0',
  'TypeError: Failed to fetch',
];
const MESSAGES_SQL = `(ARRAY[${ERROR_MESSAGES.map((m) => `'${m.replace(/'/g, "''")}'`).join(', ')}])`;

/**
 * Writes the events of sessions `bs<from>` … `bs<to>`. Each session's page views are spread evenly over its
 * duration; clicks go round-robin to its page views; errors land on its pages; tags are the ones on the session row.
 */
export async function fillEvents(c: pg.Client, projectId: string, from: number, to: number): Promise<void> {
  await c.query(
    `WITH s AS MATERIALIZED (
       SELECT g, s.id, s.visitor_id, s.started_at, s.ended_at, s.duration_ms, s.page_count AS pc, s.click_count AS cc,
              s.error_count AS ec, s.referrer, s.tags, s.rage_clicks, s.dead_clicks, s.error_clicks, s.excessive_scrolls,
              s.quick_backs, s.active_ms, s.max_scroll_depth
         FROM generate_series($2::int, $3::int) g JOIN sessions s ON s.project_id = $1 AND s.id = 'bs' || g
     ),
     pv AS (
       INSERT INTO page_views (project_id, started_at, id, session_id, visitor_id, url, referrer, navigation, batch_id,
                               max_scroll_depth, click_count, last_event_at, active_ms, dwell_ms, scroll_distance,
                               scroll_reversals, rage_clicks, dead_clicks, error_clicks, excessive_scroll, quick_back)
       SELECT $1, s.started_at + make_interval(secs => s.duration_ms / 1000.0 * i / s.pc), 'bp' || s.g || '.' || i, s.id,
              s.visitor_id, bench_url(s.g, i), CASE WHEN i = 0 THEN s.referrer ELSE bench_url(s.g, i - 1) END,
              CASE WHEN i = 0 THEN 'navigate' ELSE 'link' END, s.g,
              CASE WHEN i = 0 THEN s.max_scroll_depth ELSE ${UNIT('s.g * 64 + i', 3)} END,
              (s.cc + s.pc - 1 - i) / s.pc,
              s.started_at + make_interval(secs => s.duration_ms / 1000.0 * (i + 1) / s.pc),
              s.active_ms / s.pc, s.duration_ms / s.pc,
              (${UNIT('s.g * 64 + i', 4)} * 6000)::int, (${UNIT('s.g * 64 + i', 5)} * 6)::int,
              CASE WHEN i = 0 THEN s.rage_clicks ELSE 0 END, CASE WHEN i = 0 THEN s.dead_clicks ELSE 0 END,
              CASE WHEN i = 0 THEN s.error_clicks ELSE 0 END, i = 0 AND s.excessive_scrolls > 0, i = 1 AND s.quick_backs > 0
         FROM s CROSS JOIN LATERAL generate_series(0, s.pc - 1) i
       RETURNING 1
     ),
     ck AS (
       INSERT INTO clicks (project_id, ts, batch_id, idx, session_id, page_view_id, url, x, y, page_x, page_y, selector,
                           rel_x, rel_y, interactive, href, viewport_width, reaction)
       SELECT $1, s.started_at + make_interval(secs => s.duration_ms / 1000.0 * ((k % s.pc) + 0.5) / s.pc + k * 0.01), s.g, k, s.id,
              'bp' || s.g || '.' || (k % s.pc), bench_url(s.g, k % s.pc), x * 390, y * 800, x * 390, y * 2400,
              CASE WHEN x < 0.5 THEN 'button.add-to-cart' WHEN x < 0.8 THEN 'a.product-card' ELSE 'div.gallery > img' END,
              x, y, x < 0.8, CASE WHEN x >= 0.5 AND x < 0.8 THEN bench_url(s.g, (k % s.pc) + 1) END, 390,
              CASE WHEN x < 0.45 THEN 'mutation' WHEN x < 0.8 THEN 'navigation' WHEN x < 0.95 THEN 'scroll' ELSE 'none' END
         FROM s CROSS JOIN LATERAL generate_series(0, s.cc - 1) k
         CROSS JOIN LATERAL (SELECT ${UNIT('s.g * 64 + k', 6)} AS x, ${UNIT('s.g * 64 + k', 7)} AS y) r
       RETURNING 1
     ),
     er AS (
       INSERT INTO js_errors (project_id, ts, batch_id, idx, session_id, page_view_id, url, kind, message, source, line, "column")
       SELECT $1, s.started_at + make_interval(secs => s.duration_ms / 1000.0 * (k + 0.5) / s.ec), s.g, 1000 + k, s.id,
              'bp' || s.g || '.' || (k % s.pc), bench_url(s.g, k % s.pc),
              CASE WHEN m = 4 THEN 'unhandledrejection' ELSE 'error' END, ${MESSAGES_SQL}[m + 1],
              'https://shop.example.com/assets/theme.js', 100 + m * 17, 12
         FROM s CROSS JOIN LATERAL generate_series(0, s.ec - 1) k
         CROSS JOIN LATERAL (SELECT floor(${ERROR_MESSAGES.length} * power(${UNIT('s.g * 64 + k', 8)}, 2))::int AS m) r
       RETURNING 1
     ),
     tg AS (
       INSERT INTO custom_tags (project_id, ts, batch_id, idx, session_id, key, value)
       SELECT $1, s.started_at, s.g, 2000 + ord::int, s.id, t.key, t.value #>> '{}'
         FROM s CROSS JOIN LATERAL jsonb_each(s.tags) WITH ORDINALITY t(key, value, ord)
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM pv) + (SELECT count(*) FROM ck) + (SELECT count(*) FROM er) + (SELECT count(*) FROM tg) AS n`,
    [projectId, from, to],
  );
}

/** Writes the events of every session in slices (bounded WAL per statement, a moving progress line). */
export async function fillAllEvents(c: pg.Client, projectId: string, sessions: number, progress: Progress): Promise<void> {
  await c.query(URL_FUNCTION_SQL);
  const slice = 50_000;
  for (let from = 1; from <= sessions; from += slice) {
    const to = Math.min(sessions, from + slice - 1);
    progress.set('store: events', `${((to / sessions) * 100).toFixed(0)} % of ${sessions.toLocaleString('en-US')} sessions`);
    await fillEvents(c, projectId, from, to);
  }
}
