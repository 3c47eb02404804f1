/** Phase 4: the embedded default — PGlite + in-process queue (workers inline by construction) — and its reference. */
import { EVENTS_PER_BATCH, PACED_SECONDS, PGLITE_EVENTS, RUNS, SKIP } from './config.ts';
import { progress } from './lifecycle.ts';
import type { LoadgenClient } from './loadgenClient.ts';
import { logRun, pipelineRun, type RunResult } from './pipelineRun.ts';
import { checkSameRows, referencePglite, referenceRows } from './referenceRuns.ts';
import type { Target } from './stack.ts';
import { fmtInt, median } from './util.ts';

export interface EmbeddedResult {
  sat: RunResult[];
  paced: RunResult[];
  /** Bare unnest INSERT into PGlite, event rows/s per run ([NaN] if skipped). */
  reference: number[];
  /** Runs whose row counts differ from the reference. */
  mismatches: string[];
}

/**
 * The reference on PGlite, then saturation runs, then runs at 70 % of their median batch rate (at least 300
 * batches, at most a saturation run's worth). Skipped entirely with BENCH_SKIP=pglite.
 */
export async function runEmbedded(loadgen: LoadgenClient): Promise<EmbeddedResult> {
  const target: Target = { kind: 'pglite' };
  const batches = Math.ceil(PGLITE_EVENTS / EVENTS_PER_BATCH);
  const result: EmbeddedResult = { sat: [], paced: [], reference: [NaN], mismatches: [] };
  if (SKIP.has('pglite')) return result;

  progress.set('reference (PGlite): building final rows in memory');
  const ref = referenceRows(batches);
  result.reference = await referencePglite(ref);
  for (let i = 0; i < RUNS; i++) {
    const r = await pipelineRun(loadgen, {
      target,
      layout: 'inline',
      mode: 'saturation',
      batches,
      label: `embedded (PGlite) saturation, run ${i + 1}/${RUNS}`,
      // PGlite runs use the in-process queue: no Redis keys to keep apart.
      prefix: 'unused',
    });
    result.sat.push(r);
    logRun(r);
    const m = checkSameRows(r, ref);
    if (m) result.mismatches.push(`pglite run ${i + 1}: ${m}`);
  }
  const rate = 0.7 * median(result.sat.map((r) => r.batchesPerS));
  const pacedBatches = Math.max(300, Math.min(batches, Math.round(rate * PACED_SECONDS)));
  for (let i = 0; i < RUNS; i++) {
    const r = await pipelineRun(loadgen, {
      target,
      layout: 'inline',
      mode: 'paced',
      batches: pacedBatches,
      rate,
      label: `embedded (PGlite) at 70% (${fmtInt(rate)} req/s), run ${i + 1}/${RUNS}`,
      prefix: 'unused',
    });
    result.paced.push(r);
    logRun(r, false);
  }
  return result;
}
