/** Phase 3: the pipeline on PostgreSQL at 70 % of its saturation rate, in the chosen layout. */
import { PACED_RATE, PACED_SECONDS, RUNS, SKIP } from './config.ts';
import { logRun, pipelineRun, type PgPhase, type RunResult } from './pipelineRun.ts';
import type { Layout } from './stack.ts';
import { fmtInt, median } from './util.ts';

export interface PacedResult {
  runs: RunResult[];
  /** Requests/s asked for (NaN if there was no saturation rate to take 70 % of). */
  rate: number;
}

/**
 * An open-loop client at a fixed rate (70 % of the median saturation batch rate, or BENCH_PACED_RATE) measures
 * /collect latency and accept → queryable lag. Each run lasts about BENCH_PACED_SECONDS (at least 500 batches,
 * at most a saturation run's worth).
 */
export async function runPaced(phase: PgPhase, layout: Layout, satRuns: readonly RunResult[]): Promise<PacedResult> {
  const runs: RunResult[] = [];
  const satBatchesPerS = median(satRuns.map((r) => r.batchesPerS));
  const rate = PACED_RATE || 0.7 * satBatchesPerS;
  if (!SKIP.has('paced') && Number.isFinite(rate)) {
    const pacedBatches = Math.max(500, Math.min(phase.batches, Math.round(rate * PACED_SECONDS)));
    for (let i = 0; i < RUNS; i++) {
      const r = await pipelineRun(phase.loadgen, {
        target: phase.target,
        layout,
        mode: 'paced',
        batches: pacedBatches,
        rate,
        label: `pipeline at 70% (${fmtInt(rate)} req/s), ${layout} workers, run ${i + 1}/${RUNS}`,
        prefix: phase.prefix(),
      });
      runs.push(r);
      logRun(r);
    }
  }
  return { runs, rate };
}
