/**
 * Judges one ended session: every rule of docs/insights.md over its page views, clicks, scroll samples and errors.
 * Pure, so the workers and the benchmark share it.
 */
import { findErrorClicks, findRageBursts, isDeadClick } from './detectClicks.ts';
import { findQuickBacks, quickBackThresholdMs } from './quickBacks.ts';
import { baselineFor, isExcessiveScroll, scrollStats } from './scrolling.ts';
import {
  INSIGHT_KINDS,
  type Baselines,
  type InsightKind,
  type InsightOccurrence,
  type InsightRules,
  type PageViewAnalysis,
  type SessionAnalysis,
  type SessionInput,
} from './types.ts';

function groupBy<T extends { pageViewId: string; ts: number }>(items: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of [...items].sort((a, b) => a.ts - b.ts)) {
    const list = m.get(it.pageViewId);
    if (list) list.push(it);
    else m.set(it.pageViewId, [it]);
  }
  return m;
}

export function analyzeSession(s: SessionInput, baselines: Baselines, rules: InsightRules): SessionAnalysis {
  const pages = [...s.pageViews].sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
  const clicksBy = groupBy(s.clicks);
  const scrollsBy = groupBy(s.scrolls);
  const errorsBy = groupBy(s.errors);
  const raw: Array<Omit<InsightOccurrence, 'seq'>> = [];
  const at = (kind: InsightKind, ts: number, pageViewId: string, url: string, selector: string | null, detail: InsightOccurrence['detail']) =>
    raw.push({ kind, ts, pageViewId, url, offsetMs: Math.max(0, Math.round(ts - s.startedAt)), selector, detail });

  const analyses: PageViewAnalysis[] = pages.map((p, i) => {
    const next = pages[i + 1];
    const dwellMs = Math.max(0, Math.round((next ? next.startedAt : p.lastEventAt) - p.startedAt));
    const clicks = clicksBy.get(p.id) ?? [];
    const stats = scrollStats(scrollsBy.get(p.id) ?? [], dwellMs);
    const a: PageViewAnalysis = {
      id: p.id, startedAt: p.startedAt, dwellMs, scrollDistance: stats.distance, scrollReversals: stats.reversals,
      rageClicks: 0, deadClicks: 0, errorClicks: 0, excessiveScroll: false, quickBack: false,
    };
    for (const burst of findRageBursts(clicks, rules)) {
      const first = burst.clicks[0]!;
      const last = burst.clicks[burst.clicks.length - 1]!;
      a.rageClicks++;
      at('rage_click', first.ts, p.id, p.url, first.selector, { clicks: burst.clicks.length, spanMs: last.ts - first.ts });
    }
    for (const c of clicks) {
      if (!isDeadClick(c, next?.startedAt)) continue;
      a.deadClicks++;
      at('dead_click', c.ts, p.id, p.url, c.selector, {});
    }
    for (const { click, error } of findErrorClicks(clicks, errorsBy.get(p.id) ?? [], rules)) {
      a.errorClicks++;
      at('error_click', click.ts, p.id, p.url, click.selector, { error: error.message.slice(0, 300), afterMs: error.ts - click.ts });
    }
    if (isExcessiveScroll(stats, baselineFor(p.url, baselines), rules)) {
      a.excessiveScroll = true;
      at('excessive_scroll', p.startedAt, p.id, p.url, null, { reversals: stats.reversals, speed: Math.round(stats.speed) });
    }
    return a;
  });

  const threshold = quickBackThresholdMs(baselines, rules);
  for (const i of findQuickBacks(pages.map((p, k) => ({ url: p.url, dwellMs: analyses[k]!.dwellMs })), threshold)) {
    const [page, a] = [pages[i]!, analyses[i]!];
    a.quickBack = true;
    at('quick_back', page.startedAt, page.id, page.url, null, { dwellMs: a.dwellMs, thresholdMs: Math.round(threshold) });
  }

  raw.sort((a, b) => a.ts - b.ts);
  const counts = Object.fromEntries(INSIGHT_KINDS.map((k) => [k, 0])) as Record<InsightKind, number>;
  const insights = raw.map((o) => ({ ...o, seq: counts[o.kind]++ }));
  const activeMs = pages.reduce((sum, p) => sum + (p.activeMs ?? 0), 0);
  return { projectId: s.projectId, id: s.id, activeMs, counts, pageViews: analyses, insights };
}
