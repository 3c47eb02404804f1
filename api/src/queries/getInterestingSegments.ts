/**
 * Interesting segments of a project's sessions for one insight: the dimension values (browser, OS, device, entry
 * page, traffic source, custom tag) whose share of sessions with the insight is significantly above the rest's.
 * One statement counts the filtered sessions per value of every dimension; `insights/segments.ts` judges them.
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { DEFAULT_SEGMENT_CRITERIA, findInterestingSegments, type SegmentCriteria, type ValueCount } from '../insights/segments.ts';
import { runAnalyticsStatement } from './runAnalyticsStatement.ts';
import { SOURCE_SQL, sessionWhere, type SessionFilters, type SessionWhere } from './sessionFilters.ts';

/** The insights segments are computed for, and the `sessions` column counting each. */
export const SEGMENT_METRICS = { rage_click: 'rage_clicks', dead_click: 'dead_clicks' } as const;
export type SegmentMetric = keyof typeof SEGMENT_METRICS;

export const SEGMENT_DIMENSIONS = ['browser', 'os', 'device', 'entryPage', 'source', 'tag'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/**
 * Values per dimension that are tested: the most frequent ones. Bounds the Holm family (≤ 300 values), so a long
 * tail of rare pages cannot dilute the thresholds of the values that carry the data.
 */
export const VALUES_PER_DIMENSION = 50;

export const segmentsView = z.object({
  range: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  metric: z.enum(Object.keys(SEGMENT_METRICS) as [SegmentMetric, ...SegmentMetric[]]),
  totals: z.object({ sessions: z.number().int(), withInsight: z.number().int(), rate: z.number().nullable() }),
  /** The thresholds applied (docs/insights-segments.md). */
  criteria: z.object({
    alpha: z.number(),
    minSessions: z.number().int(),
    minInsightSessions: z.number().int(),
    minExpectedInsightSessions: z.number(),
    minLift: z.number(),
    valuesPerDimension: z.number().int(),
  }),
  /** Values that had enough data to be tested; an empty `segments` with many tested means nothing stands out. */
  tested: z.number().int(),
  segments: z.array(
    z.object({
      /** `device` values are `pc`/`tablet`/`mobile`; `source` as the `source` filter; `tag` values are `key:value`. */
      dimension: z.enum(SEGMENT_DIMENSIONS),
      value: z.string(),
      sessions: z.number().int(),
      withInsight: z.number().int(),
      rate: z.number(),
      restRate: z.number(),
      lift: z.number(),
      /** One-sided Fisher exact p-value, Holm-adjusted over the `tested` values. */
      pValue: z.number(),
      /** 95% interval of rate − restRate (not adjusted for multiplicity). */
      difference: z.object({ estimate: z.number(), low: z.number(), high: z.number() }),
    }),
  ),
});
export type SegmentsView = z.infer<typeof segmentsView>;

interface Row {
  totals: { sessions: number; with_insight: number };
  values: { dimension: SegmentDimension; value: string; sessions: number; with_insight: number }[] | null;
}

/**
 * The scalar dimensions are counted with GROUPING SETS (one pass over the filtered sessions); the traffic source is
 * derived per distinct referrer afterwards, as the dashboard does, rather than per row. Tags, a jsonb map of key →
 * value or list of values, are unnested into `key:value` pairs (a session counts once per pair) and counted apart.
 * Sessions without a browser/OS count as `unknown`; without an entry page, under no entry page.
 */
function segmentsSql(where: SessionWhere, column: string): string {
  return `WITH
  s AS MATERIALIZED (
    SELECT coalesce(s.browser, 'unknown') AS browser, coalesce(s.os, 'unknown') AS os, s.device_class::text AS device,
           s.entry_url, coalesce(s.referrer, '') AS referrer, s.tags, (s.${column} > 0) AS hit
      FROM sessions s WHERE ${where.sql}
  ),
  scalar AS (
    SELECT CASE WHEN grouping(browser) = 0 THEN 'browser' WHEN grouping(os) = 0 THEN 'os' WHEN grouping(device) = 0 THEN 'device'
                WHEN grouping(entry_url) = 0 THEN 'entryPage' ELSE 'referrer' END AS dimension,
           coalesce(browser, os, device, entry_url, referrer) AS value,
           count(*)::int AS sessions, count(*) FILTER (WHERE hit)::int AS with_insight
      FROM s GROUP BY GROUPING SETS ((browser), (os), (device), (entry_url), (referrer))
  ),
  sources AS (
    SELECT 'source' AS dimension, ${SOURCE_SQL} AS value, sum(sessions)::int AS sessions, sum(with_insight)::int AS with_insight
      FROM (SELECT nullif(value, '') AS referrer, sessions, with_insight FROM scalar WHERE dimension = 'referrer') s
     GROUP BY 2
  ),
  tags AS (
    SELECT 'tag' AS dimension, t.key || ':' || v.value AS value, count(*)::int AS sessions, count(*) FILTER (WHERE s.hit)::int AS with_insight
      FROM s
      CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(s.tags) = 'object' THEN s.tags ELSE '{}'::jsonb END) t
      CROSS JOIN LATERAL jsonb_array_elements_text(CASE jsonb_typeof(t.value) WHEN 'array' THEN t.value ELSE jsonb_build_array(t.value) END) v
     GROUP BY 2
  ),
  ranked AS (
    SELECT *, row_number() OVER (PARTITION BY dimension ORDER BY sessions DESC, value) AS rank
      FROM (SELECT * FROM scalar WHERE dimension <> 'referrer' AND value IS NOT NULL UNION ALL SELECT * FROM sources UNION ALL SELECT * FROM tags) v
  )
  SELECT (SELECT json_build_object('sessions', count(*), 'with_insight', count(*) FILTER (WHERE hit)) FROM s) AS totals,
         (SELECT json_agg(json_build_object('dimension', dimension, 'value', value, 'sessions', sessions, 'with_insight', with_insight))
            FROM ranked WHERE rank <= ${VALUES_PER_DIMENSION}) AS values`;
}

export async function getInterestingSegments(
  sql: SqlRunner,
  projectId: string,
  timeZone: string,
  metric: SegmentMetric,
  filters: SessionFilters,
  regexUrls: readonly string[] = [],
  today = new Date(),
  criteria: SegmentCriteria = DEFAULT_SEGMENT_CRITERIA,
): Promise<SegmentsView> {
  const params: unknown[] = [projectId];
  const where = sessionWhere(filters, timeZone, params, today, regexUrls);
  const row = await runAnalyticsStatement<Row>(sql, segmentsSql(where, SEGMENT_METRICS[metric]), params);
  const totals = { sessions: row!.totals.sessions, withInsight: row!.totals.with_insight };
  const counts: ValueCount<SegmentDimension>[] = (row!.values ?? []).map((v) => ({
    dimension: v.dimension,
    value: v.value,
    sessions: v.sessions,
    withInsight: v.with_insight,
  }));
  const { tested, segments } = findInterestingSegments(counts, totals, criteria);
  return {
    range: { from: where.from, to: where.to, timeZone },
    metric,
    totals: { ...totals, rate: totals.sessions > 0 ? totals.withInsight / totals.sessions : null },
    criteria: { ...criteria, valuesPerDimension: VALUES_PER_DIMENSION },
    tested,
    segments,
  };
}
