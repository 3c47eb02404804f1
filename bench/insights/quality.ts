/**
 * Insights benchmark (a): precision and recall of each insight rule against intent-labelled synthetic visits
 * (visitors.ts). Baselines come from the real code: the first pass's page figures are stored in an in-process
 * PGlite database and `refreshInsightBaselines` computes the per-page and site baselines from them, as the analyzer
 * does in production; the second pass judges every visit against them.
 */
import { parseProjectSettings } from '@loupe/contract';
import { openDatabase } from '../../api/src/db/openDatabase.ts';
import { analyzeSession } from '../../api/src/insights/analyzeSession.ts';
import type { Baselines, SessionAnalysis, SessionInput } from '../../api/src/insights/types.ts';
import { createLogger } from '../../api/src/logger.ts';
import { getInsightBaselines } from '../../api/src/queries/getInsightBaselines.ts';
import { refreshInsightBaselines } from '../../api/src/queries/refreshInsightBaselines.ts';
import { fmtInt, Progress, table } from '../ingest/util.ts';
import { emptyLabels, generateVisit, rng, type Labels } from './visitors.ts';

const RULES = parseProjectSettings({}).insights;
const TARGET = 0.95;
const PROJECT = 'prj_bench_quality';

interface Score {
  tp: number;
  fp: number;
  fn: number;
}
const score = (): Score => ({ tp: 0, fp: 0, fn: 0 });
const count = (s: Score, predicted: boolean, actual: boolean): void => {
  if (predicted && actual) s.tp++;
  else if (predicted) s.fp++;
  else if (actual) s.fn++;
};

/** Stores the first pass's page figures and lets the production query compute baselines from them. */
async function baselinesFrom(analyses: readonly SessionAnalysis[], sessions: readonly SessionInput[]): Promise<Baselines> {
  const db = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://', logger: createLogger('silent') });
  try {
    const urlOf = new Map(sessions.flatMap((s) => s.pageViews.map((p) => [p.id, p.url] as const)));
    const pvs = analyses.flatMap((a) => a.pageViews.map((p) => ({ ...p, sessionId: a.id })));
    const now = new Date(Math.max(...pvs.map((p) => p.startedAt)) + 60_000);
    await db.sql.query(
      `INSERT INTO page_views (project_id, started_at, id, session_id, visitor_id, url, navigation, batch_id, last_event_at,
                               dwell_ms, scroll_distance, scroll_reversals)
       SELECT $1, to_timestamp(t / 1000.0), id, sid, sid, url, 'load', 0, to_timestamp(t / 1000.0), dwell, dist, rev
         FROM unnest($2::float8[], $3::text[], $4::text[], $5::text[], $6::int4[], $7::int4[], $8::int4[]) AS u(t, id, sid, url, dwell, dist, rev)`,
      [
        PROJECT, pvs.map((p) => p.startedAt), pvs.map((p) => p.id), pvs.map((p) => p.sessionId), pvs.map((p) => urlOf.get(p.id) ?? ''),
        pvs.map((p) => p.dwellMs), pvs.map((p) => p.scrollDistance), pvs.map((p) => p.scrollReversals),
      ],
    );
    const { baselines } = await db.sql.transaction(async (tx) => {
      await refreshInsightBaselines(tx, PROJECT, now);
      return getInsightBaselines(tx, PROJECT);
    });
    return baselines;
  } finally {
    await db.close();
  }
}

export interface QualityResult {
  sessions: number;
  rows: Array<{ insight: string; unit: string; labelled: number; precision: number; recall: number }>;
}

/** Generates `n` visits for `seed`, judges them twice (for baselines, then for real) and scores each rule. */
export async function measureQuality(n: number, seed: number, progress?: Progress): Promise<QualityResult> {
  const r = rng(seed);
  const labels: Labels = emptyLabels();
  const t0 = Date.UTC(2026, 10, 1);
  const sessions: SessionInput[] = [];
  for (let i = 0; i < n; i++) sessions.push(generateVisit(r, `s${i}`, t0 + i * 37_000, labels, PROJECT));
  progress?.set('insights quality: first pass');
  const none: Baselines = { site: null, byUrl: new Map() };
  const first = sessions.map((s) => analyzeSession(s, none, RULES));
  progress?.set('insights quality: baselines');
  const baselines = await baselinesFrom(first, sessions);
  progress?.set('insights quality: judging');
  const scores = { rage: score(), dead: score(), error: score(), excessive: score(), quick: score() };
  for (const s of sessions) {
    const a = analyzeSession(s, baselines, RULES);
    for (const p of a.pageViews) {
      count(scores.rage, p.rageClicks > 0, labels.ragePages.has(p.id));
      count(scores.excessive, p.excessiveScroll, labels.excessivePages.has(p.id));
      count(scores.quick, p.quickBack, labels.quickBackPages.has(p.id));
    }
    // Per-click verdicts are read back from the occurrences the analyzer wrote (page view + time identify a click).
    const flagged = (kind: string) => new Set(a.insights.filter((o) => o.kind === kind).map((o) => `${o.pageViewId}@${o.ts}`));
    const dead = flagged('dead_click');
    const errorClicks = flagged('error_click');
    for (const c of s.clicks) {
      const key = `${c.pageViewId}@${c.ts}`;
      count(scores.dead, dead.has(key), labels.deadClicks.has(c));
      count(scores.error, errorClicks.has(key), labels.errorClicks.has(c));
    }
  }
  const row = (insight: string, unit: string, s: Score, labelled: number) => ({
    insight, unit, labelled, precision: s.tp / Math.max(1, s.tp + s.fp), recall: s.tp / Math.max(1, s.tp + s.fn),
  });
  return {
    sessions: n,
    rows: [
      row('rage click', 'page view', scores.rage, labels.ragePages.size),
      row('dead click', 'click', scores.dead, labels.deadClicks.size),
      row('error click', 'click', scores.error, labels.errorClicks.size),
      row('excessive scrolling', 'page view', scores.excessive, labels.excessivePages.size),
      row('quick back', 'page view', scores.quick, labels.quickBackPages.size),
    ],
  };
}

/** Prints the quality table for several seeds: median precision/recall and the worst seed. */
export async function runQuality(sessions = 20_000, seeds = [1, 2, 3], progress = new Progress()): Promise<boolean> {
  progress.start();
  const results: QualityResult[] = [];
  for (const seed of seeds) {
    progress.set(`insights quality: seed ${seed}`);
    results.push(await measureQuality(sessions, seed, progress));
  }
  progress.stop();
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  let pass = true;
  const rows = results[0]!.rows.map((first, i) => {
    const ps = results.map((r) => r.rows[i]!.precision);
    const rs = results.map((r) => r.rows[i]!.recall);
    const ok = Math.min(...ps) >= TARGET && Math.min(...rs) >= TARGET;
    pass &&= ok;
    return [
      first.insight, first.unit, fmtInt(results.reduce((s, r) => s + r.rows[i]!.labelled, 0) / results.length),
      pct(ps.sort()[ps.length >> 1]!), pct(Math.min(...ps)), pct(rs.sort()[rs.length >> 1]!), pct(Math.min(...rs)), ok ? 'pass' : 'FAIL',
    ];
  });
  console.log(`\nInsight detection vs intent labels: ${fmtInt(sessions)} synthetic visits × ${seeds.length} seeds (target ≥ ${pct(TARGET)} each)\n`);
  console.log(table(['insight', 'unit', 'labelled/seed', 'precision (median)', 'precision (worst)', 'recall (median)', 'recall (worst)', ''], rows));
  return pass;
}
