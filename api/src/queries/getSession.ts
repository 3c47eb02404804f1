import { z } from 'zod';
import type { PrismaClient } from '@loupe/prisma';
import { sessionSummarySchema, toSessionSummary } from './listSessions.ts';

export const sessionDetailSchema = sessionSummarySchema.extend({
  browserVersion: z.string().nullable(),
  osVersion: z.string().nullable(),
  viewport: z.object({ width: z.number().nullable(), height: z.number().nullable() }),
  pageViews: z.array(
    z.object({
      id: z.string(), startedAt: z.string(), url: z.string(), title: z.string().nullable(), navigation: z.string(), maxScrollDepth: z.number(),
      clickCount: z.number(), activeMs: z.number().nullable(), dwellMs: z.number().nullable(), scrollReversals: z.number(),
      rageClicks: z.number(), deadClicks: z.number(), errorClicks: z.number(), excessiveScroll: z.boolean(), quickBack: z.boolean(),
    }),
  ),
  /** Insight occurrences in time order, with their offset from the session's start (replay markers). */
  insights: z.array(
    z.object({
      kind: z.string(), ts: z.string(), offsetMs: z.number(), pageViewId: z.string(), url: z.string(), selector: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  clicks: z.array(
    z.object({ ts: z.string(), pageViewId: z.string(), url: z.string(), x: z.number(), y: z.number(), selector: z.string(), interactive: z.boolean(), href: z.string().nullable() }),
  ),
  errors: z.array(z.object({ ts: z.string(), kind: z.string(), message: z.string(), source: z.string().nullable(), line: z.number().nullable(), column: z.number().nullable() })),
  customEvents: z.array(z.object({ ts: z.string(), name: z.string() })),
  checkoutEvents: z.array(
    z.object({ ts: z.string(), source: z.string(), step: z.string(), token: z.string().nullable(), valueMinor: z.string().nullable(), currency: z.string().nullable() }),
  ),
});
export type SessionDetail = z.infer<typeof sessionDetailSchema>;

const iso = (d: Date): string => d.toISOString();

/** One session with its page views and events in time order, or null. */
export async function getSession(prisma: PrismaClient, projectId: string, sessionId: string): Promise<SessionDetail | null> {
  const s = await prisma.session.findUnique({ where: { projectId_id: { projectId, id: sessionId } } });
  if (!s) return null;
  const where = { projectId, sessionId };
  const [pageViews, clicks, errors, customEvents, checkoutEvents, insights] = await Promise.all([
    prisma.pageView.findMany({ where, orderBy: { startedAt: 'asc' } }),
    prisma.click.findMany({ where, orderBy: { ts: 'asc' }, take: 5000 }),
    prisma.jsError.findMany({ where, orderBy: { ts: 'asc' }, take: 1000 }),
    prisma.customEvent.findMany({ where, orderBy: { ts: 'asc' }, take: 1000 }),
    prisma.checkoutEvent.findMany({ where, orderBy: { ts: 'asc' } }),
    prisma.insight.findMany({ where, orderBy: [{ ts: 'asc' }, { kind: 'asc' }, { seq: 'asc' }], take: 5000 }),
  ]);
  return {
    ...toSessionSummary(s),
    browserVersion: s.browserVersion,
    osVersion: s.osVersion,
    viewport: { width: s.viewportWidth, height: s.viewportHeight },
    pageViews: pageViews.map((p) => ({
      id: p.id, startedAt: iso(p.startedAt), url: p.url, title: p.title, navigation: p.navigation, maxScrollDepth: p.maxScrollDepth,
      clickCount: p.clickCount, activeMs: p.activeMs, dwellMs: p.dwellMs, scrollReversals: p.scrollReversals, rageClicks: p.rageClicks,
      deadClicks: p.deadClicks, errorClicks: p.errorClicks, excessiveScroll: p.excessiveScroll, quickBack: p.quickBack,
    })),
    insights: insights.map((o) => ({
      kind: o.kind, ts: iso(o.ts), offsetMs: o.offsetMs, pageViewId: o.pageViewId, url: o.url, selector: o.selector,
      detail: (o.detail ?? {}) as Record<string, unknown>,
    })),
    clicks: clicks.map((c) => ({ ts: iso(c.ts), pageViewId: c.pageViewId, url: c.url, x: c.x, y: c.y, selector: c.selector, interactive: c.interactive, href: c.href })),
    errors: errors.map((e) => ({ ts: iso(e.ts), kind: e.kind, message: e.message, source: e.source, line: e.line, column: e.column })),
    customEvents: customEvents.map((e) => ({ ts: iso(e.ts), name: e.name })),
    checkoutEvents: checkoutEvents.map((e) => ({ ts: iso(e.ts), source: e.source, step: e.step, token: e.token, valueMinor: e.valueMinor?.toString() ?? null, currency: e.currency })),
  };
}
