import { z } from 'zod';
import type { PrismaClient, Session } from '@loupe/prisma';
import { SESSION_FLAGS, type SessionFlag } from '../insights/types.ts';

const SESSION_FIELD = {
  rage_click: 'rageClicks',
  dead_click: 'deadClicks',
  error_click: 'errorClicks',
  excessive_scroll: 'excessiveScrolls',
  quick_back: 'quickBacks',
  js_error: 'errorCount',
} as const satisfies Record<SessionFlag, keyof Session>;

export const listSessionsQuery = z
  .object({
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** Sessions that started before this ISO time (pagination: pass the last row's startedAt). */
    before: z.coerce.date().optional(),
    /** Only sessions with at least one of this insight (repeat for AND). */
    insight: z.union([z.enum(SESSION_FLAGS), z.array(z.enum(SESSION_FLAGS)).max(6)]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type ListSessionsQuery = z.infer<typeof listSessionsQuery>;

export const sessionSummarySchema = z.object({
  id: z.string(),
  visitorId: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMs: z.number(),
  deviceClass: z.enum(['pc', 'tablet', 'mobile']),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  entryUrl: z.string().nullable(),
  exitUrl: z.string().nullable(),
  referrer: z.string().nullable(),
  pageCount: z.number(),
  clickCount: z.number(),
  errorCount: z.number(),
  maxScrollDepth: z.number(),
  tags: z.record(z.string(), z.unknown()),
  /** Time on visible pages with recent input; set once the session has been judged. */
  activeMs: z.number(),
  /** Whether the insight analyzer has judged the session (it waits until the session has ended). */
  judged: z.boolean(),
  insights: z.object({
    rageClicks: z.number(),
    deadClicks: z.number(),
    errorClicks: z.number(),
    excessiveScrolls: z.number(),
    quickBacks: z.number(),
  }),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/** Sessions of a project, newest first. */
export async function listSessions(prisma: PrismaClient, projectId: string, q: ListSessionsQuery): Promise<SessionSummary[]> {
  const startedAt: { gte?: Date; lte?: Date; lt?: Date } = {};
  if (q.from) startedAt.gte = q.from;
  if (q.to) startedAt.lte = q.to;
  if (q.before) startedAt.lt = q.before;
  const insights = Object.fromEntries((q.insight ?? []).map((k) => [SESSION_FIELD[k], { gt: 0 }]));
  const rows = await prisma.session.findMany({
    where: { projectId, startedAt, ...insights },
    orderBy: { startedAt: 'desc' },
    take: q.limit,
  });
  return rows.map(toSessionSummary);
}

/** The summary fields of a session row (shared with getSession). */
export function toSessionSummary(s: Session): SessionSummary {
  return {
    id: s.id,
    visitorId: s.visitorId,
    startedAt: s.startedAt.toISOString(),
    endedAt: s.endedAt.toISOString(),
    durationMs: s.durationMs,
    deviceClass: s.deviceClass,
    browser: s.browser,
    os: s.os,
    entryUrl: s.entryUrl,
    exitUrl: s.exitUrl,
    referrer: s.referrer,
    pageCount: s.pageCount,
    clickCount: s.clickCount,
    errorCount: s.errorCount,
    maxScrollDepth: s.maxScrollDepth,
    tags: (s.tags ?? {}) as Record<string, unknown>,
    activeMs: s.activeMs,
    judged: s.analyzedAt !== null,
    insights: {
      rageClicks: s.rageClicks,
      deadClicks: s.deadClicks,
      errorClicks: s.errorClicks,
      excessiveScrolls: s.excessiveScrolls,
      quickBacks: s.quickBacks,
    },
  };
}
