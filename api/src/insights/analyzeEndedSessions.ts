/**
 * The insight analyzer: judges sessions once they have ended (no event for the tracker's session timeout) and writes
 * insight rows, page-view flags and session counts. Safe on any number of machines at once (sessions are claimed
 * with SKIP LOCKED) and safe to repeat (verdicts are overwritten, not added).
 */
import { parseProjectSettings } from '@loupe/contract';
import type { SqlRunner } from '@loupe/prisma/sql';
import type { Logger } from '../logger.ts';
import { claimSessionsToAnalyze } from '../queries/claimSessionsToAnalyze.ts';
import { compactRollups } from '../queries/compactRollups.ts';
import { getInsightBaselines } from '../queries/getInsightBaselines.ts';
import { hasSessionsToAnalyze } from '../queries/hasSessionsToAnalyze.ts';
import { listAnalysisInputs } from '../queries/listAnalysisInputs.ts';
import { refreshInsightBaselines } from '../queries/refreshInsightBaselines.ts';
import { saveSessionAnalyses } from '../queries/saveSessionAnalyses.ts';
import { SESSION_IDLE_MS } from '../workers/sessionize.ts';
import { analyzeSession } from './analyzeSession.ts';

/** An hour of the day (UTC) per project, from its id. */
const projectHour = (projectId: string): number => [...projectId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 24, 0);

/** Baselines older than this are recomputed before judging more sessions. */
const BASELINE_MAX_AGE_MS = 60 * 60_000;

export interface AnalyzeOptions {
  now?: Date;
  /** Sessions whose last event is older than this are judged (default: the session timeout, after which a session has ended). */
  idleMs?: number;
  /** Sessions per transaction. */
  chunk?: number;
  /** Transactions per project per run at most (bounds one run; the next tick continues). */
  maxChunks?: number;
  /** Recompute baselines first even when fresh (tests, backfills). */
  refreshBaselines?: boolean;
  signal?: AbortSignal;
  logger?: Logger;
}

/** Judges the ended sessions of every live project (or of `projectIds`); returns how many were judged. */
export async function analyzeEndedSessions(sql: SqlRunner, opts: AnalyzeOptions = {}, projectIds?: readonly string[]): Promise<number> {
  const now = opts.now ?? new Date();
  const projects = await sql.query<{ id: string; settings: unknown }>(
    'SELECT id, settings FROM projects WHERE deleted_at IS NULL AND ($1::text[] IS NULL OR id = ANY($1::text[])) ORDER BY id',
    [projectIds ?? null],
  );
  let judged = 0;
  for (const p of projects) {
    if (opts.signal?.aborted) break;
    judged += await analyzeProject(sql, p.id, parseProjectSettings(p.settings).insights, now, opts);
  }
  return judged;
}

async function analyzeProject(
  sql: SqlRunner,
  projectId: string,
  rules: ReturnType<typeof parseProjectSettings>['insights'],
  now: Date,
  opts: AnalyzeOptions,
): Promise<number> {
  const endedBefore = new Date(now.getTime() - (opts.idleMs ?? SESSION_IDLE_MS));
  if (!(await hasSessionsToAnalyze(sql, projectId, endedBefore))) return 0;
  let { baselines, computedAt } = await getInsightBaselines(sql, projectId);
  const refreshed = opts.refreshBaselines || !computedAt || now.getTime() - computedAt.getTime() > BASELINE_MAX_AGE_MS;
  if (refreshed) {
    // Before claiming anything, in a transaction of its own: on a big store it reads 30 days of page views, and no
    // session should stay locked (holding up a late batch) meanwhile.
    await sql.transaction((tx) => refreshInsightBaselines(tx, projectId, now));
    ({ baselines } = await getInsightBaselines(sql, projectId));
  }
  let judged = 0;
  for (let round = 0; round < (opts.maxChunks ?? 50); round++) {
    if (opts.signal?.aborted) break;
    const n = await sql.transaction(async (tx) => {
      const ids = await claimSessionsToAnalyze(tx, projectId, endedBefore, opts.chunk ?? 500);
      if (ids.length === 0) return 0;
      const inputs = await listAnalysisInputs(tx, projectId, ids);
      await saveSessionAnalyses(tx, projectId, inputs.map((s) => analyzeSession(s, baselines, rules)), now);
      return ids.length;
    });
    judged += n;
    if (n === 0) break;
  }
  if (judged > 0) {
    // Merge the rollup deltas the judged sessions appended: the last days every run; all days once a day (at a
    // baseline refresh in the project's own hour, so projects spread out), for the few deltas erasures and late
    // batches leave on older days — a full pass reads every rollup row of the project.
    const fullPass = refreshed && now.getUTCHours() === projectHour(projectId);
    await compactRollups(sql, projectId, fullPass ? null : new Date(now.getTime() - 3 * 86_400_000).toISOString().slice(0, 10));
    opts.logger?.info({ projectId, judged }, 'sessions judged');
  }
  return judged;
}

/**
 * Runs the analyzer every `intervalMs` (first run after `firstTickMs`); errors are logged, never thrown. `chunk`:
 * sessions per transaction (small on PGlite, whose one connection /collect waits for meanwhile).
 */
export function startInsightAnalyzer(
  sql: SqlRunner,
  opts: { intervalMs: number; firstTickMs?: number; chunk?: number },
  logger: Logger,
): { stop(): Promise<void> } {
  const stop = new AbortController();
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = analyzeEndedSessions(sql, { signal: stop.signal, logger, chunk: opts.chunk })
      .then(() => undefined, (err: unknown) => logger.error({ err }, 'insight analyzer tick failed'))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  const first = setTimeout(tick, opts.firstTickMs ?? 15_000);
  first.unref();
  return {
    async stop() {
      stop.abort();
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
