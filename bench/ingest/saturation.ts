/** Phase 2: the pipeline at saturation on PostgreSQL, in each worker layout, and the choice of the faster layout. */
import { LAYOUTS, RUNS, SKIP } from './config.ts';
import { logRun, pipelineRun, type PgPhase, type RunResult } from './pipelineRun.ts';
import { checkSameRows } from './referenceRuns.ts';
import type { ReferenceRows } from './reference.ts';
import type { Layout } from './stack.ts';
import { median } from './util.ts';

export interface SaturationResult {
  /** The saturation runs of each layout. */
  sat: Record<Layout, RunResult[]>;
  /** The layout the paced runs use and the table reports first: the faster one by median. */
  chosen: Layout;
  /** Runs whose row counts differ from the reference. */
  mismatches: string[];
}

/** Median event rows/s of a set of runs (NaN if there are none). */
export const medianRate = (runs: readonly RunResult[]): number => median(runs.map((r) => r.eventRowsPerS));

/**
 * Round 1 runs both layouts; later rounds run both (order alternating, so drift hits both alike) only while they
 * are within 20 % of each other, else only the faster one (time budget). Every run's row counts are checked
 * against the reference. `beforeRound` runs first in every round (the bench times a reference run there, so the
 * machine's drift hits both sides of each round's ratio alike).
 */
export async function runSaturation(phase: PgPhase, ref: ReferenceRows, beforeRound?: (round: number) => Promise<void>): Promise<SaturationResult> {
  const sat: Record<Layout, RunResult[]> = { inline: [], separate: [], none: [] };
  const mismatches: string[] = [];
  const satRun = async (layout: Layout, i: number) => {
    const r = await pipelineRun(phase.loadgen, {
      target: phase.target,
      layout,
      mode: 'saturation',
      batches: phase.batches,
      label: `pipeline saturation, ${layout} workers, run ${i + 1}/${RUNS}`,
      prefix: phase.prefix(),
    });
    sat[layout].push(r);
    logRun(r);
    const m = checkSameRows(r, ref);
    if (m) mismatches.push(`${layout} run ${i + 1}: ${m}`);
  };
  if (SKIP.has('pipeline')) {
    for (let i = 0; i < RUNS; i++) await beforeRound?.(i);
  } else {
    let layouts = LAYOUTS;
    for (let i = 0; i < RUNS; i++) {
      await beforeRound?.(i);
      for (const layout of i % 2 === 0 ? layouts : [...layouts].reverse()) await satRun(layout, i);
      if (i === 0 && layouts.length > 1) {
        const [a, b] = layouts.map((l) => sat[l][0]!.eventRowsPerS) as [number, number];
        if (Math.max(a, b) / Math.min(a, b) > 1.2) layouts = [a >= b ? layouts[0]! : layouts[1]!];
      }
    }
  }
  // Written so that NaN medians (the phase skipped) fall back to 'separate'.
  const chosen: Layout =
    LAYOUTS.length === 1 ? LAYOUTS[0]! : !(medianRate(sat.inline) > medianRate(sat.separate)) ? 'separate' : 'inline';
  return { sat, chosen, mismatches };
}
