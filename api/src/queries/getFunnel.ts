/**
 * The checkout-abandonment funnel of a project (see docs/funnel.md for every rule). Sessions are the primary unit,
 * as in Clarity: a session that started checkout and holds no confirmation abandoned at the last step it reached,
 * judged once it has ended (30 minutes idle). Express checkouts (confirmed without reaching Shipping or Payment)
 * count as purchases under "Other" and stay out of the abandonment figures. A per-checkout view (by token) adds
 * checkouts recovered in a later session.
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { currencyExponent } from '../workers/money.ts';
import { funnelRollup, funnelSql } from './funnelSql.ts';
import { runAnalyticsStatement } from './runAnalyticsStatement.ts';
import { sessionWhere, type SessionFilters } from './sessionFilters.ts';

const STEPS = ['contact', 'shipping', 'payment', 'other', 'confirmed'] as const;

const stepFigures = z.object({ step: z.enum(STEPS), reached: z.number().int(), abandoned: z.number().int(), medianSecondsInStep: z.number().nullable() });
const funnelFigures = z.object({
  sessions: z.number().int(),
  checkoutSessions: z.number().int(),
  /** Sessions that started checkout, express checkouts excluded. */
  started: z.number().int(),
  confirmed: z.number().int(),
  express: z.number().int(),
  inProgress: z.number().int(),
  abandoned: z.number().int(),
  steps: z.array(stepFigures),
  /** confirmed / started (express excluded), or null without checkouts. */
  completionRate: z.number().nullable(),
  /** Sessions with a confirmed purchase (express included) / sessions. */
  purchaseConversionRate: z.number().nullable(),
});
const revenueFigures = z.object({
  currency: z.string(),
  orders: z.number().int(),
  /** Exact decimal strings in the currency's major unit (ISO 4217 decimals). */
  revenue: z.string(),
  averageOrderValue: z.string(),
  revenueMinor: z.string(),
});
export const funnelView = z.object({
  range: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  overall: funnelFigures,
  byDevice: z.array(funnelFigures.extend({ device: z.string() })),
  bySource: z.array(funnelFigures.extend({ source: z.string() })),
  revenue: z.array(revenueFigures),
  checkouts: z.object({
    total: z.number().int(),
    confirmed: z.number().int(),
    /** Confirmed in a later session than the one that started them. */
    recovered: z.number().int(),
    express: z.number().int(),
    /** Not confirmed and idle for 30 minutes. */
    abandoned: z.number().int(),
    inProgress: z.number().int(),
  }),
  /** For each step, sessions that abandoned there (newest first, at most 50), to open their recordings. */
  abandonedSessions: z.record(z.string(), z.array(z.string())),
});
export type FunnelView = z.infer<typeof funnelView>;

type FigureRow = Record<string, number | string | null>;

const n = (v: unknown): number => Number(v ?? 0);
const median = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

function toFigures(r: FigureRow): z.infer<typeof funnelFigures> {
  const started = n(r.started);
  const confirmed = n(r.confirmed);
  return {
    sessions: n(r.sessions),
    checkoutSessions: n(r.checkout_sessions),
    started,
    confirmed,
    express: n(r.express),
    inProgress: n(r.in_progress),
    abandoned: n(r.abandoned_contact) + n(r.abandoned_shipping) + n(r.abandoned_payment) + n(r.abandoned_other),
    steps: STEPS.map((step) => ({
      step,
      reached: n(r[`reached_${step}`]),
      abandoned: step === 'confirmed' ? 0 : n(r[`abandoned_${step}`]),
      medianSecondsInStep: step === 'other' || step === 'confirmed' ? null : median(r[`med_${step}`]),
    })),
    completionRate: ratio(confirmed, started),
    purchaseConversionRate: ratio(n(r.purchases), n(r.sessions)),
  };
}

/** Exact `minor / 10^exp` as a decimal string, rounded half away from zero when dividing (averages). */
function formatMinor(minor: bigint, exp: number): string {
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  const base = 10n ** BigInt(exp);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(exp, '0');
  return `${neg ? '-' : ''}${whole}${exp > 0 ? `.${frac}` : ''}`;
}
const divRound = (a: bigint, b: bigint): bigint => (b === 0n ? 0n : (2n * a + b) / (2n * b));

interface Grouped {
  device: string | null;
  source: string | null;
  g_device: number;
  g_source: number;
}

interface FunnelRow {
  totals: (Grouped & { sessions: number })[] | null;
  figs: (Grouped & FigureRow)[] | null;
  meds: (Grouped & FigureRow)[] | null;
  revenue: { currency: string; orders: number; revenue: string }[] | null;
  checkouts: { total: number; confirmed: number; recovered: number; express: number; abandoned: number; in_progress: number } | null;
  lists: { last_step: string; ids: string[] }[] | null;
}

const groupKey = (g: Grouped): string => `${g.g_device}${g.g_source}|${g.g_device ? '' : g.device}|${g.g_source ? '' : g.source}`;

export async function getFunnel(
  sql: SqlRunner,
  projectId: string,
  timeZone: string,
  filters: SessionFilters,
  regexUrls: readonly string[] = [],
  today = new Date(),
  /** `raw` skips the rollups (tests compare both). */
  mode: 'auto' | 'raw' = 'auto',
): Promise<FunnelView> {
  const params: unknown[] = [projectId];
  const where = sessionWhere(filters, timeZone, params, today, regexUrls);
  const rollup = mode === 'auto' ? funnelRollup(filters, where) : undefined;
  const row = await runAnalyticsStatement<FunnelRow>(sql, funnelSql(where, params, rollup), params);
  const figs = new Map((row?.figs ?? []).map((f) => [groupKey(f), f]));
  const meds = new Map((row?.meds ?? []).map((m) => [groupKey(m), m]));
  const grouped = (row?.totals ?? []).map((t) => ({
    ...t,
    figures: toFigures({ ...(figs.get(groupKey(t)) ?? {}), ...(meds.get(groupKey(t)) ?? {}), sessions: t.sessions }),
  }));
  const overall = grouped.find((g) => g.g_device === 1 && g.g_source === 1)?.figures ?? toFigures({ sessions: 0 });
  const byDevice = grouped.filter((g) => g.g_device === 0).map((g) => ({ device: g.device ?? 'unknown', ...g.figures }));
  const bySource = grouped
    .filter((g) => g.g_source === 0)
    .map((g) => ({ source: g.source ?? 'direct', ...g.figures }))
    .sort((a, b) => b.sessions - a.sessions || a.source.localeCompare(b.source))
    .slice(0, 20);
  const revenue = (row?.revenue ?? []).map((r) => {
    const exp = currencyExponent(r.currency);
    const total = BigInt(r.revenue);
    return {
      currency: r.currency,
      orders: r.orders,
      revenue: formatMinor(total, exp),
      averageOrderValue: formatMinor(divRound(total, BigInt(r.orders)), exp),
      revenueMinor: total.toString(),
    };
  });
  const k = row?.checkouts;
  const abandonedSessions: Record<string, string[]> = { contact: [], shipping: [], payment: [], other: [] };
  for (const l of row?.lists ?? []) abandonedSessions[l.last_step] = l.ids;
  return {
    range: { from: where.from, to: where.to, timeZone },
    overall,
    byDevice: byDevice.sort((a, b) => b.sessions - a.sessions),
    bySource,
    revenue,
    checkouts: {
      total: k?.total ?? 0,
      confirmed: k?.confirmed ?? 0,
      recovered: k?.recovered ?? 0,
      express: k?.express ?? 0,
      abandoned: k?.abandoned ?? 0,
      inProgress: k?.in_progress ?? 0,
    },
    abandonedSessions,
  };
}
