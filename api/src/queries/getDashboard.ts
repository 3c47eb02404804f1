/**
 * The dashboard's figures for a project, a date range (whole days in the project's time zone) and session filters:
 * totals, a per-day trend, top pages, top traffic sources and top JavaScript errors with where they happen. One
 * statement: over the rollups where the filters allow (range, and device or one tag), else over the filtered sessions, read once
 * (`dashboardSql.ts`).
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { runAnalyticsStatement } from './runAnalyticsStatement.ts';
import { dashboardRawSql, dashboardRollupSql } from './dashboardSql.ts';
import { rollupSlice } from './rollupSlice.ts';
import { sessionWhere, type SessionFilters, type SessionWhere } from './sessionFilters.ts';

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

/** The statement `getDashboard` runs for these filters, with its parameters (for `bench/insights/explain.ts`). */
export function dashboardStatement(
  projectId: string,
  timeZone: string,
  filters: SessionFilters,
  regexUrls: readonly string[] = [],
  today = new Date(),
  mode: 'auto' | 'raw' = 'auto',
): { sql: string; params: unknown[]; where: SessionWhere } {
  const params: unknown[] = [projectId];
  const where = sessionWhere(filters, timeZone, params, today, regexUrls);
  const slice = mode === 'auto' ? rollupSlice(filters) : undefined;
  const sql = slice ? dashboardRollupSql(where, params, slice) : dashboardRawSql(where);
  return { sql, params, where };
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
  /** `raw` skips the rollups (tests compare both). */
  mode: 'auto' | 'raw' = 'auto',
): Promise<DashboardView> {
  const { sql: statement, params, where } = dashboardStatement(projectId, timeZone, filters, regexUrls, today, mode);
  const row = await runAnalyticsStatement<Row>(sql, statement, params);
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
