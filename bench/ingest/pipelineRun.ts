/**
 * One measured pipeline run: start the api (and worker), warm it up, send the workload (at saturation or at a
 * fixed rate), wait until every batch is processed, then read throughput, lag, latency and CPU.
 */
import os from 'node:os';
import type { BlastReply, BuildReply, PacedReply } from './loadgen.ts';
import type { LoadgenClient } from './loadgenClient.ts';
import { CONNECTIONS, EVENTS_PER_BATCH, SEED, WARMUP_BATCHES, WORKER_PROF } from './config.ts';
import { resetPipelineDb } from './databases.ts';
import { progress, trackStack } from './lifecycle.ts';
import { EVENT_TABLES, FINAL_TABLES, startStack, type Layout, type Stack, type Target } from './stack.ts';
import { cpuDelta, fmtInt, fmtMs, percentile, sampleCpu } from './util.ts';

/** The figures of one pipeline run. */
export interface RunResult {
  target: 'postgres' | 'pglite';
  layout: Layout;
  mode: 'saturation' | 'paced';
  batches: number;
  trackerEvents: number;
  eventRows: number;
  rowsByTable: Record<string, number>;
  /** First request → last worker commit, seconds. */
  wallS: number;
  eventRowsPerS: number;
  batchesPerS: number;
  /** Tracker events accepted per second while the load ran (HTTP + inbox). */
  acceptedEventsPerS: number;
  lagP50: number;
  lagP99: number;
  latP50: number;
  latP99: number;
  /** The rate the paced run asked for / achieved (requests/s). */
  rateAsked?: number;
  rateAchieved?: number;
  non2xx: number;
  errors: number;
  cpu: ReturnType<typeof cpuDelta>;
  /** Inbox batches per worker transaction (= per queue job: one job per inbox group commit). */
  batchesPerTxn: number;
  lagSource: 'commit' | 'processed_at';
}

/** What the PostgreSQL phases share: the load generator, where the pipeline runs, how big a saturation run is. */
export interface PgPhase {
  loadgen: LoadgenClient;
  target: Target;
  /** Batches per saturation run. */
  batches: number;
  /** A fresh Redis prefix per run, so no run sees another's queue. */
  prefix: () => string;
}

export interface RunOptions {
  target: Target;
  layout: Layout;
  mode: 'saturation' | 'paced';
  batches: number;
  /** Requests/s (paced mode only). */
  rate?: number;
  label: string;
  prefix: string;
}

async function countFinalRows(stack: Stack, projectId: string): Promise<Record<string, number>> {
  const [row] = await stack.query<Record<string, number>>(
    `SELECT ${FINAL_TABLES.map((t) => `(SELECT count(*)::int FROM ${t} WHERE project_id = $1) AS ${t}`).join(', ')}`,
    [projectId],
  );
  return row!;
}

async function waitProcessed(stack: Stack, projectId: string, expected: number, label: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await stack.query<{ total: number; done: number }>(
      'SELECT count(*)::int AS total, count(processed_at)::int AS done FROM inbox_batches WHERE project_id = $1',
      [projectId],
    );
    progress.detailOnly(`${label}: ${fmtInt(r!.done)}/${fmtInt(expected)} batches processed`);
    if (r!.total >= expected && r!.done === r!.total) return;
    if (Date.now() > deadline) throw new Error(`${label}: ${r!.done}/${r!.total} of ${expected} inbox batches processed after ${timeoutMs / 1000}s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const LAG_EXPR = `coalesce(m.at, i.processed_at)`;
const MARKS_JOIN = `LEFT JOIN bench_commit_marks m ON m.xid = i.xmin::text::bigint`;

/**
 * Runs the pipeline once on a fresh stack and measures it. At saturation the lag is from inbox `received_at`
 * (backlog included); paced, it is exact per batch, from the 200 at the client to the worker's commit.
 */
export async function pipelineRun(loadgen: LoadgenClient, o: RunOptions): Promise<RunResult> {
  if (o.target.kind === 'postgres') await resetPipelineDb(o.target.databaseUrl, o.target.owned);
  progress.set(o.label, 'starting api' + (o.layout === 'separate' ? ' + worker process' : ''));
  const stack = await startStack({
    target: o.target,
    layout: o.layout,
    redisPrefix: o.prefix,
    workerNodeArgs: WORKER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${WORKER_PROF}`] : [],
  });
  trackStack(stack);
  try {
    // Warm-up (JIT, caches, connections; proves the worker is consuming) on a project of its own.
    const warm = await stack.newProject('warm-up');
    await loadgen.ask<BuildReply>({ cmd: 'build', spec: { projectKey: warm.key, batches: WARMUP_BATCHES, eventsPerBatch: EVENTS_PER_BATCH, seed: 1 } });
    progress.detailOnly('warm-up');
    const w = await loadgen.ask<BlastReply>({ cmd: 'blast', url: stack.url, connections: 16 });
    if (w.non2xx || w.errors) throw new Error(`warm-up: ${w.non2xx} non-2xx, ${w.errors} errors`);
    await waitProcessed(stack, warm.id, WARMUP_BATCHES, 'warm-up');

    const project = await stack.newProject('measured');
    progress.detailOnly('encoding request bodies');
    const built = await loadgen.ask<BuildReply>({
      cmd: 'build',
      spec: { projectKey: project.key, batches: o.batches, eventsPerBatch: EVENTS_PER_BATCH, seed: SEED },
    });
    progress.detailOnly(o.mode === 'saturation' ? `${CONNECTIONS} connections, ${fmtInt(built.batches)} requests` : `${fmtInt(o.rate!)} req/s`);
    const pids = { api: process.pid, worker: stack.workerPid, loadgen: loadgen.pid };
    const cpu0 = sampleCpu(pids);
    let load: BlastReply | PacedReply;
    if (o.mode === 'saturation') load = await loadgen.ask<BlastReply>({ cmd: 'blast', url: stack.url, connections: CONNECTIONS });
    else load = await loadgen.ask<PacedReply>({ cmd: 'paced', url: stack.url, rate: o.rate!, connections: CONNECTIONS });
    await waitProcessed(stack, project.id, built.batches, 'processing');
    const cpu1 = sampleCpu(pids);

    const rowsByTable = await countFinalRows(stack, project.id);
    const eventRows = EVENT_TABLES.reduce((n, t) => n + (rowsByTable[t] ?? 0), 0);
    const [agg] = await stack.query<{ end_ms: number; marked: number; n: number; p50: number; p99: number; txns: number }>(
      `SELECT count(*)::int AS n, count(m.xid)::int AS marked, count(DISTINCT i.xmin::text)::int AS txns,
              (extract(epoch FROM max(${LAG_EXPR})) * 1000)::float8 AS end_ms,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${LAG_EXPR} - i.received_at) * 1000)::float8 AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM ${LAG_EXPR} - i.received_at) * 1000)::float8 AS p99
         FROM inbox_batches i ${MARKS_JOIN} WHERE i.project_id = $1`,
      [project.id],
    );
    const lagSource = agg!.marked === agg!.n ? 'commit' : 'processed_at';
    const wallS = (agg!.end_ms - load.startMs) / 1000;
    let lagP50 = agg!.p50;
    let lagP99 = agg!.p99;
    let latP50: number;
    let latP99: number;
    let rateAchieved: number | undefined;
    if (load.kind === 'paced') {
      // Exact accept → queryable: the time the 200 arrived at the client → the worker's commit.
      const committed = await stack.query<{ k: string; at: number }>(
        `SELECT i.session_id || '|' || i.page_view_id || '|' || i.seq AS k, (extract(epoch FROM ${LAG_EXPR}) * 1000)::float8 AS at
           FROM inbox_batches i ${MARKS_JOIN} WHERE i.project_id = $1`,
        [project.id],
      );
      const at = new Map(committed.map((r) => [r.k, r.at]));
      const lags = load.acceptedAt.map(([k, t]) => (at.get(k) ?? NaN) - t).filter(Number.isFinite).sort((a, b) => a - b);
      lagP50 = percentile(lags, 50);
      lagP99 = percentile(lags, 99);
      latP50 = percentile(load.latencies, 50);
      latP99 = percentile(load.latencies, 99);
      rateAchieved = load.requests / ((load.endMs - load.startMs) / 1000);
    } else {
      latP50 = load.latencyP50;
      latP99 = load.latencyP99;
    }
    return {
      target: o.target.kind,
      layout: o.layout,
      mode: o.mode,
      batches: built.batches,
      trackerEvents: built.events,
      eventRows,
      rowsByTable,
      wallS,
      eventRowsPerS: eventRows / wallS,
      batchesPerS: built.batches / wallS,
      acceptedEventsPerS: built.events / ((load.endMs - load.startMs) / 1000),
      lagP50,
      lagP99,
      latP50,
      latP99,
      rateAsked: o.rate,
      rateAchieved,
      non2xx: load.non2xx,
      errors: load.errors,
      cpu: cpuDelta(cpu0, cpu1),
      batchesPerTxn: agg!.n / agg!.txns,
      lagSource,
    };
  } finally {
    progress.detailOnly('stopping');
    trackStack(null);
    await stack.close();
  }
}

/** One line per run for the progress log. */
function describeRun(r: RunResult): string {
  const base =
    `${r.target}/${r.layout} ${r.mode}: ${fmtInt(r.eventRowsPerS)} event rows/s ` +
    `(${fmtInt(r.eventRows)} rows from ${fmtInt(r.trackerEvents)} tracker events in ${r.wallS.toFixed(2)} s; accepted ${fmtInt(r.acceptedEventsPerS)} ev/s), ` +
    `/collect p50 ${fmtMs(r.latP50)} p99 ${fmtMs(r.latP99)}, lag p50 ${fmtMs(r.lagP50)} p99 ${fmtMs(r.lagP99)}, ` +
    `${r.batchesPerTxn.toFixed(1)} batches per worker transaction`;
  const rate = r.rateAsked ? `, rate ${fmtInt(r.rateAchieved ?? NaN)}/${fmtInt(r.rateAsked)} req/s` : '';
  const bad = r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : '';
  return base + rate + bad;
}

/** CPU seconds of the run by process group, and how busy the machine was (foreign load and steal included). */
export function cpuLine(r: RunResult): string {
  const g = r.cpu.byGroup;
  const parts = ['api', 'worker', 'postgres', 'redis', 'loadgen'].filter((k) => g[k] !== undefined).map((k) => `${k} ${g[k]!.toFixed(1)}s`);
  if ((g.kernel ?? 0) >= 0.1) parts.push(`kernel threads ${g.kernel!.toFixed(1)}s`);
  const others = Object.entries(g)
    .filter(([k, v]) => k.startsWith('other:') && v >= 0.2)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k.slice(6)} ${v.toFixed(1)}s`);
  if (others.length) parts.push(`other processes: ${others.join(', ')}`);
  const cores = os.cpus().length;
  const busy = r.cpu.total / (r.cpu.wall * cores);
  const steal = (g.steal ?? 0) / (r.cpu.wall * cores);
  return (
    `CPU over ${r.cpu.wall.toFixed(1)} s: ${parts.join(', ')} (machine ${(busy * 100).toFixed(0)}% busy of ${cores} cores` +
    `${steal >= 0.01 ? `, ${(steal * 100).toFixed(0)}% stolen by the hypervisor` : ''})`
  );
}

/** Logs a finished run (and its CPU split, unless `withCpu` is false) above the progress line. */
export function logRun(r: RunResult, withCpu = true): void {
  progress.log(describeRun(r));
  if (withCpu) progress.log(`  ${cpuLine(r)}`);
}
