/**
 * `npm run bench:ingest` — the ingest pipeline at saturation against its bare-INSERT reference, side by side in one
 * run, on the same PostgreSQL; then /collect latency and accept → queryable lag at 70 % of the measured saturation
 * rate; then the same figures for the embedded default (PGlite + in-process queue).
 *
 * Settings come from the environment (see `config.ts` and bench/README.md). This file only orders the phases:
 *   1+2. saturation   `saturation.ts`     rounds of: one reference run (`referenceRuns.ts`, bare unnest INSERT of the
 *                                         final rows), then the pipeline in both worker layouts; the faster kept;
 *                                         then the bare COPY runs (information)
 *   3. 70 %           `paced.ts`          latency and lag at a fixed rate
 *   4. embedded       `embedded.ts`       PGlite + in-process queue
 *   5. report         `report.ts`         the table on stdout
 * Cleanup on every exit path (databases, Redis keys, child processes) lives in `lifecycle.ts`.
 */
import { EVENTS, EVENTS_PER_BATCH, SKIP } from './config.ts';
import { setupPostgres } from './databases.ts';
import { runEmbedded } from './embedded.ts';
import { progress, runMain, startLoadgen } from './lifecycle.ts';
import { runPaced } from './paced.ts';
import type { PgPhase } from './pipelineRun.ts';
import { openPgReference, referenceRows } from './referenceRuns.ts';
import { formatReport } from './report.ts';
import { runSaturation } from './saturation.ts';

async function main(): Promise<void> {
  const started = Date.now();
  progress.start();
  progress.set('setting up', 'databases, Redis prefix, load generator');
  const pgs = await setupPostgres();
  let runNo = 0;
  const phase: PgPhase = {
    loadgen: startLoadgen(),
    target: { kind: 'postgres', databaseUrl: pgs.pipelineUrl, redisUrl: pgs.redisUrl, owned: pgs.pipelineOwned },
    batches: Math.ceil(EVENTS / EVENTS_PER_BATCH),
    prefix: () => `${pgs.redisPrefix}-${++runNo}`,
  };

  progress.set('reference: building final rows in memory');
  const ref = referenceRows(phase.batches);
  const refPg: { unnest: number[]; copy: number[] } = { unnest: [], copy: [] };
  const reference = SKIP.has('reference') ? null : await openPgReference(pgs.referenceUrl, ref);
  const saturation = await runSaturation(phase, ref, async () => {
    if (reference) refPg.unnest.push(await reference.unnest());
  });
  if (reference) {
    for (let i = 0; i < refPg.unnest.length; i++) refPg.copy.push(await reference.copy());
    await reference.close();
  }
  const paced = await runPaced(phase, saturation.chosen, saturation.sat[saturation.chosen]);
  const embedded = await runEmbedded(phase.loadgen);
  progress.stop();

  const report = formatReport({
    started,
    batches: phase.batches,
    eventRows: ref.eventRows,
    refPg,
    saturation,
    paced,
    embedded,
    mismatches: [...saturation.mismatches, ...embedded.mismatches],
    pipelineOwned: pgs.pipelineOwned,
  });
  process.stdout.write(report);
}

runMain(main);
