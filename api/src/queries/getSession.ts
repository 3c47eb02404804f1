import { z } from 'zod';
import type { PrismaClient } from '@loupe/prisma';
import { sessionSummarySchema, toSessionSummary } from './listSessions.ts';

export const sessionDetailSchema = sessionSummarySchema.extend({
  browserVersion: z.string().nullable(),
  osVersion: z.string().nullable(),
  viewport: z.object({ width: z.number().nullable(), height: z.number().nullable() }),
  pageViews: z.array(
    z.object({ id: z.string(), startedAt: z.string(), url: z.string(), title: z.string().nullable(), navigation: z.string(), maxScrollDepth: z.number(), clickCount: z.number() }),
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
  const [pageViews, clicks, errors, customEvents, checkoutEvents] = await Promise.all([
    prisma.pageView.findMany({ where, orderBy: { startedAt: 'asc' } }),
    prisma.click.findMany({ where, orderBy: { ts: 'asc' }, take: 5000 }),
    prisma.jsError.findMany({ where, orderBy: { ts: 'asc' }, take: 1000 }),
    prisma.customEvent.findMany({ where, orderBy: { ts: 'asc' }, take: 1000 }),
    prisma.checkoutEvent.findMany({ where, orderBy: { ts: 'asc' } }),
  ]);
  return {
    ...toSessionSummary(s),
    browserVersion: s.browserVersion,
    osVersion: s.osVersion,
    viewport: { width: s.viewportWidth, height: s.viewportHeight },
    pageViews: pageViews.map((p) => ({ id: p.id, startedAt: iso(p.startedAt), url: p.url, title: p.title, navigation: p.navigation, maxScrollDepth: p.maxScrollDepth, clickCount: p.clickCount })),
    clicks: clicks.map((c) => ({ ts: iso(c.ts), pageViewId: c.pageViewId, url: c.url, x: c.x, y: c.y, selector: c.selector, interactive: c.interactive, href: c.href })),
    errors: errors.map((e) => ({ ts: iso(e.ts), kind: e.kind, message: e.message, source: e.source, line: e.line, column: e.column })),
    customEvents: customEvents.map((e) => ({ ts: iso(e.ts), name: e.name })),
    checkoutEvents: checkoutEvents.map((e) => ({ ts: iso(e.ts), source: e.source, step: e.step, token: e.token, valueMinor: e.valueMinor?.toString() ?? null, currency: e.currency })),
  };
}
