/**
 * The statement behind `getFunnel` (docs/funnel.md), in the shapes that give one answer: session totals from the
 * rollups or from the sessions, the checkout part from the checkout sessions.
 */
import { CHECKOUT_BITS, MIDDLE_BITS, REACHED_PAYMENT_BITS, REACHED_SHIPPING_BITS } from '../checkout/steps.ts';
import { rollupSlice, type RollupSlice } from './rollupSlice.ts';
import { SOURCE_SQL, type SessionFilters, type SessionWhere } from './sessionFilters.ts';

export const SESSION_IDLE_MINUTES = 30;
const ABANDONED_LIST_LIMIT = 50;

/**
 * One statement, in one of two shapes with the same answer. Unfiltered (the common, largest case): session totals
 * are hash-aggregated straight from the range's sessions, and everything checkout-related is computed from the
 * checkout sessions only (a fifth of all sessions at most in a busy store), found through the (project,
 * checkout_at) index — a checkout cannot begin before its session does — so a million sessions are never
 * materialized. Filtered: the filtered sessions are fewer, and reading the table once beats reading it twice, so
 * they are materialized (narrow) and both parts read them. Event rows are bounded by the range too.
 */
/** The rollups' part of the funnel: session totals by device and source for a slice, and the range's days. */
export interface FunnelRollup extends RollupSlice {
  from: string;
  to: string;
  source?: string;
}

/** Whether the session totals can come from the rollups (keyed by day, device, source and segment). */
export function funnelRollup(filters: SessionFilters, where: SessionWhere): FunnelRollup | undefined {
  const slice = rollupSlice(filters, true);
  return slice && { ...slice, from: where.from, to: where.to, source: filters.source?.toLowerCase() };
}

/** The statement behind `getFunnel`, for `bench/funnel/explain.ts`. */
export function funnelSqlForExplain(where: SessionWhere, params: unknown[], rollup?: FunnelRollup): string {
  return funnelSql(where, params, rollup);
}
export function funnelSql(where: SessionWhere, params: unknown[], rollup: FunnelRollup | undefined): string {
  // With rollup totals only the checkout sessions are read, so they are found through the index even when filtered.
  const narrowed = where.narrowed && !rollup;
  const from = narrowed ? 's' : `sessions s WHERE ${where.sql}`;
  const checkoutWhere = narrowed ? 's.checkout_mask <> 0' : `${where.sql} AND s.checkout_mask <> 0 AND s.checkout_at >= ${where.start}`;
  const p = (v: unknown): string => `$${params.push(v)}`;
  const byKey = rollup
    ? `-- Judged sessions from the rollups, the others (the last half hour or so) from their rows.
  by_key AS (
    SELECT device::text AS device, source, sessions AS n FROM session_rollups
     WHERE project_id = $1 AND segment = ${p(rollup.segment)} AND day BETWEEN ${p(rollup.from)}::date AND ${p(rollup.to)}::date
       ${rollup.device ? `AND device = ${p(rollup.device)}::device_class` : ''} ${rollup.source ? `AND source = ${p(rollup.source)}` : ''}
    UNION ALL
    SELECT s.device_class::text, ${SOURCE_SQL}, 1 FROM sessions s WHERE ${where.sql} AND s.analyzed_at IS NULL
  ),`
    : `-- Sources are derived per distinct referrer, not per session: a store has few referrers and many sessions.
  by_referrer AS (SELECT s.device_class::text AS device, s.referrer, count(*)::int AS n FROM ${from} GROUP BY 1, 2),
  by_key AS (SELECT device, ${SOURCE_SQL} AS source, n FROM by_referrer s),`;
  return `WITH${narrowed ? `
  s AS MATERIALIZED (
    SELECT s.id, s.device_class, s.referrer, s.ended_at, s.checkout_mask, s.checkout_at, s.checkout_shipping_at,
           s.checkout_payment_at, s.checkout_confirmed_at
      FROM sessions s WHERE ${where.sql}
  ),` : ''}
  ${byKey}
  totals AS (
    SELECT device, source, GROUPING(device)::int AS g_device, GROUPING(source)::int AS g_source, sum(n)::int AS sessions
      FROM by_key GROUP BY GROUPING SETS ((), (device), (source))
    -- Rollup keys whose deltas cancel out (an un-judged session, not yet compacted) are not groups.
    HAVING sum(n) > 0 OR GROUPING(device) + GROUPING(source) = 2
  ),
  -- Checkout sessions only, their state kept on the session row by the workers.
  st AS MATERIALIZED (
    SELECT s.id, s.device_class::text AS device, ${SOURCE_SQL} AS source, s.ended_at,
           -- Seconds in each step, as float8: the medians sort these narrow values, not whole rows.
           extract(epoch FROM s.checkout_shipping_at - s.checkout_at)::float8 AS d_contact,
           extract(epoch FROM s.checkout_payment_at - s.checkout_shipping_at)::float8 AS d_shipping,
           extract(epoch FROM s.checkout_confirmed_at - s.checkout_payment_at)::float8 AS d_payment,
           (m & ${REACHED_SHIPPING_BITS}) <> 0 AS r2, (m & ${REACHED_PAYMENT_BITS}) <> 0 AS r3,
           (m & ${CHECKOUT_BITS.other}) <> 0 AS r4, (m & ${CHECKOUT_BITS.confirmed}) <> 0 AS r5,
           (m & ${CHECKOUT_BITS.confirmed}) <> 0 AND (m & ${MIDDLE_BITS}) = 0 AS express,
           s.ended_at < now() - make_interval(mins => ${SESSION_IDLE_MINUTES}) AS ended,
           CASE WHEN (m & ${CHECKOUT_BITS.confirmed}) <> 0 THEN NULL WHEN (m & ${CHECKOUT_BITS.other}) <> 0 THEN 'other'
                WHEN (m & ${REACHED_PAYMENT_BITS}) <> 0 THEN 'payment' WHEN (m & ${REACHED_SHIPPING_BITS}) <> 0 THEN 'shipping'
                ELSE 'contact' END AS last_step
      FROM ${narrowed ? 's' : 'sessions s'} CROSS JOIN LATERAL (SELECT s.checkout_mask AS m) mk WHERE ${checkoutWhere}
  ),
  -- Counts hash-aggregate; the medians (ordered-set aggregates, which must sort) read only the non-express rows.
  figs AS (
    SELECT device, source, GROUPING(device)::int AS g_device, GROUPING(source)::int AS g_source, ${FIGURES_SQL}
      FROM st GROUP BY GROUPING SETS ((), (device), (source))
  ),
  meds AS (
    SELECT device, source, GROUPING(device)::int AS g_device, GROUPING(source)::int AS g_source, ${MEDIANS_SQL}
      FROM (SELECT device, source, d_contact, d_shipping, d_payment FROM st WHERE NOT express AND d_contact IS NOT NULL) m
     GROUP BY GROUPING SETS ((), (device), (source))
  ),
  -- Orders confirmed in those sessions, one per checkout whatever sources reported it (the workers' checkouts rows).
  revenue AS (
    SELECT k.currency, count(*)::int AS orders, sum(k.value_minor)::text AS revenue
      FROM checkouts k JOIN st ON st.id = k.confirmed_session_id
     WHERE k.project_id = $1 AND k.confirmed_at >= ${where.start} AND k.value_minor IS NOT NULL AND k.currency IS NOT NULL
     GROUP BY k.currency
  ),
  -- Checkouts that began in those sessions, followed into later sessions.
  ck AS (
    SELECT k.session_id, k.confirmed_session_id, k.confirmed_at, k.last_at, (k.mask & ${MIDDLE_BITS}) <> 0 AS mid
      FROM checkouts k JOIN st ON st.id = k.session_id
     WHERE k.project_id = $1 AND k.first_at >= ${where.start} AND k.first_at < ${where.end} + interval '1 day'
  ),
  checkouts AS (
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE confirmed_at IS NOT NULL AND mid)::int AS confirmed,
           count(*) FILTER (WHERE confirmed_at IS NOT NULL AND mid AND confirmed_session_id <> session_id)::int AS recovered,
           count(*) FILTER (WHERE confirmed_at IS NOT NULL AND NOT mid)::int AS express,
           count(*) FILTER (WHERE confirmed_at IS NULL AND last_at < now() - make_interval(mins => ${SESSION_IDLE_MINUTES}))::int AS abandoned,
           count(*) FILTER (WHERE confirmed_at IS NULL AND last_at >= now() - make_interval(mins => ${SESSION_IDLE_MINUTES}))::int AS in_progress
      FROM ck
  ),
  -- The newest sessions per step: a bounded top-N per step, cheaper than ranking every abandoned session.
  lists AS (
    SELECT k.last_step, ARRAY(SELECT id FROM st WHERE ended AND st.last_step = k.last_step ORDER BY ended_at DESC, id LIMIT ${ABANDONED_LIST_LIMIT}) AS ids
      FROM (VALUES ('contact'), ('shipping'), ('payment'), ('other')) AS k(last_step)
  )
  SELECT (SELECT json_agg(t) FROM totals t) AS totals,
         (SELECT json_agg(f) FROM figs f) AS figs,
         (SELECT json_agg(m) FROM meds m) AS meds,
         (SELECT json_agg(r ORDER BY r.currency) FROM revenue r) AS revenue,
         (SELECT row_to_json(k) FROM checkouts k) AS checkouts,
         (SELECT json_agg(l) FROM lists l) AS lists`;
}

const FIGURES_SQL = `
  count(*)::int AS checkout_sessions,
  count(*) FILTER (WHERE NOT express)::int AS started,
  count(*) FILTER (WHERE r5 AND NOT express)::int AS confirmed,
  count(*) FILTER (WHERE express)::int AS express,
  count(*) FILTER (WHERE last_step IS NOT NULL AND NOT ended)::int AS in_progress,
  count(*) FILTER (WHERE NOT express)::int AS reached_contact,
  count(*) FILTER (WHERE r2 AND NOT express)::int AS reached_shipping,
  count(*) FILTER (WHERE r3 AND NOT express)::int AS reached_payment,
  count(*) FILTER (WHERE r4 AND NOT express)::int AS reached_other,
  count(*) FILTER (WHERE r5 AND NOT express)::int AS reached_confirmed,
  count(*) FILTER (WHERE ended AND last_step = 'contact')::int AS abandoned_contact,
  count(*) FILTER (WHERE ended AND last_step = 'shipping')::int AS abandoned_shipping,
  count(*) FILTER (WHERE ended AND last_step = 'payment')::int AS abandoned_payment,
  count(*) FILTER (WHERE ended AND last_step = 'other')::int AS abandoned_other,
  count(*) FILTER (WHERE r5)::int AS purchases`;

/** Median seconds in each step over the sessions that moved on from it (express checkouts excluded). */
const MEDIANS_SQL = `
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d_contact) AS med_contact,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d_shipping) AS med_shipping,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d_payment) AS med_payment`;
