/**
 * `npm run bench:ingest` — the ingest pipeline at saturation against its bare-INSERT reference, side by side in one
 * run, on the same PostgreSQL; then /collect latency and accept → queryable lag at 70 % of the measured saturation
 * rate; then the same figures for the embedded default (PGlite + in-process queue).
 *
 * Environment (all optional):
 *   DATABASE_URL      pipeline database (default: a throwaway `loupe_bench_<random>` on 127.0.0.1, dropped after);
 *                     the reference always gets a fresh throwaway database on the same server
 *   REDIS_URL         default redis://127.0.0.1:6379; keys live under a random prefix, deleted after
 *   BENCH_EVENTS      tracker events per saturation run (default 200000, ~20 per batch)
 *   BENCH_RUNS        runs per measured figure; the median is printed (default 3)
 *   BENCH_CONNECTIONS load generator connections at saturation (default 64)
 *   BENCH_PACED_SECONDS  length of each 70 % run (default 8)
 *   BENCH_PGLITE_EVENTS  tracker events per embedded saturation run (default 20000)
 *   BENCH_LAYOUTS     `inline,separate` (default) or one of them
 *   BENCH_SKIP        comma list of phases to skip: reference, pipeline, paced, pglite
 *   BENCH_WORKER_PROF a directory: the separate worker process runs with --cpu-prof there
 *   BENCH_PACED_RATE  requests/s for the paced runs instead of 70 % of the measured saturation (diagnosis)
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { parseProjectSettings } from '@loupe/contract';
import pg from 'pg';
import { applyMigrations } from '../../prisma/migrations.ts';
import { pgliteRunner } from '../../api/src/db/pgliteRunner.ts';
import { pgRunner } from '../../api/src/db/pgRunner.ts';
import { deleteKeysWithPrefix } from '../../api/src/queue/redisKeys.ts';
import type { BlastReply, BuildReply, LoadgenReply, LoadgenRequest, PacedReply } from './loadgen.ts';
import { LoadgenClient } from './loadgenClient.ts';
import { ORIGIN } from './loadgen.ts';
import { buildReferenceRows, REFERENCE_TABLES, timeCopy, timeUnnest, type ReferenceRows } from './reference.ts';
import {
  children,
  DROP_COMMIT_MARKS_SQL,
  EVENT_TABLES,
  FINAL_TABLES,
  startStack,
  stopChild,
  type Layout,
  type Stack,
  type Target,
} from './stack.ts';
import { cpuDelta, fmtInt, fmtMs, fmtRatio, median, percentile, Progress, sampleCpu, table } from './util.ts';
import { buildBatches, encodeBody } from './workload.ts';

const envInt = (name: string, def: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : def;
};

const EVENTS_PER_BATCH = 20;
const EVENTS = envInt('BENCH_EVENTS', 200_000);
const RUNS = envInt('BENCH_RUNS', 3);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 64);
const PACED_SECONDS = envInt('BENCH_PACED_SECONDS', 8);
const PGLITE_EVENTS = envInt('BENCH_PGLITE_EVENTS', 20_000);
const LAYOUTS = (process.env.BENCH_LAYOUTS ?? 'inline,separate').split(',').map((s) => s.trim()) as Layout[];
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const WORKER_PROF = process.env.BENCH_WORKER_PROF;
const SEED = 20_261_128;
const WARMUP_BATCHES = 300;

const progress = new Progress();
const rand = randomBytes(4).toString('hex');
const cleanups: { what: string; fn: () => Promise<unknown> }[] = [];

let loadgen: LoadgenClient | null = null;
/** The api (and worker) of the run in progress, closed first if the bench is interrupted. */
let currentStack: Stack | null = null;
const ask = <T extends LoadgenReply>(req: LoadgenRequest): Promise<T> => loadgen!.ask<T>(req);

// ---------------------------------------------------------------------------------------------------------------
// Databases

interface PgSetup {
  adminUrl: string;
  pipelineUrl: string;
  pipelineOwned: boolean;
  referenceUrl: string;
  redisUrl: string;
  redisPrefix: string;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function createThrowawayDb(adminUrl: string, name: string): Promise<string> {
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  cleanups.push({
    what: `drop database ${name}`,
    fn: () =>
      admin(adminUrl, async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  });
  return withDatabase(adminUrl, name);
}

async function setupPostgres(): Promise<PgSetup> {
  const given = process.env.DATABASE_URL?.trim() || undefined;
  const adminUrl = withDatabase(given ?? 'postgresql://postgres@127.0.0.1:5432/postgres', 'postgres');
  const redisUrl = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  const redisPrefix = `loupe-bench-${rand}`;
  cleanups.push({ what: `delete Redis keys ${redisPrefix}*`, fn: () => deleteKeysWithPrefix(redisUrl, redisPrefix) });
  const pipelineUrl = given ?? (await createThrowawayDb(adminUrl, `loupe_bench_${rand}`));
  if (given) {
    cleanups.push({
      what: 'remove the commit-mark trigger from DATABASE_URL',
      fn: async () => {
        const c = new pg.Client({ connectionString: given });
        await c.connect();
        await c.query(DROP_COMMIT_MARKS_SQL).finally(() => c.end());
      },
    });
  }
  const referenceUrl = await createThrowawayDb(adminUrl, `loupe_bench_${rand}_ref`);
  return { adminUrl, pipelineUrl, pipelineOwned: !given, referenceUrl, redisUrl, redisPrefix };
}

async function resetPipelineDb(url: string, owned: boolean): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    if (owned) {
      const exists = await c.query(`SELECT to_regclass('inbox_batches') IS NOT NULL AS ok`);
      if (exists.rows[0]?.ok) {
        await c.query(`TRUNCATE inbox_batches, ${FINAL_TABLES.join(', ')}`);
        await c.query(`TRUNCATE bench_commit_marks`).catch(() => undefined);
      }
    }
    await c.query('CHECKPOINT').catch(() => undefined);
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One pipeline run

interface RunResult {
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

async function pipelineRun(o: {
  target: Target;
  layout: Layout;
  mode: 'saturation' | 'paced';
  batches: number;
  rate?: number;
  label: string;
  prefix: string;
}): Promise<RunResult> {
  if (o.target.kind === 'postgres') await resetPipelineDb(o.target.databaseUrl, o.target.owned);
  progress.set(o.label, 'starting api' + (o.layout === 'separate' ? ' + worker process' : ''));
  const stack = await startStack({
    target: o.target,
    layout: o.layout,
    redisPrefix: o.prefix,
    workerNodeArgs: WORKER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${WORKER_PROF}`] : [],
  });
  currentStack = stack;
  try {
    // Warm-up (JIT, caches, connections; proves the worker is consuming) on a project of its own.
    const warm = await stack.newProject('warm-up');
    await ask<BuildReply>({ cmd: 'build', spec: { projectKey: warm.key, batches: WARMUP_BATCHES, eventsPerBatch: EVENTS_PER_BATCH, seed: 1 } });
    progress.detailOnly('warm-up');
    const w = await ask<BlastReply>({ cmd: 'blast', url: stack.url, connections: 16 });
    if (w.non2xx || w.errors) throw new Error(`warm-up: ${w.non2xx} non-2xx, ${w.errors} errors`);
    await waitProcessed(stack, warm.id, WARMUP_BATCHES, 'warm-up');

    const project = await stack.newProject('measured');
    progress.detailOnly('encoding request bodies');
    const built = await ask<BuildReply>({
      cmd: 'build',
      spec: { projectKey: project.key, batches: o.batches, eventsPerBatch: EVENTS_PER_BATCH, seed: SEED },
    });
    progress.detailOnly(o.mode === 'saturation' ? `${CONNECTIONS} connections, ${fmtInt(built.batches)} requests` : `${fmtInt(o.rate!)} req/s`);
    const pids = { api: process.pid, worker: stack.workerPid, loadgen: loadgen?.pid };
    const cpu0 = sampleCpu(pids);
    let load: BlastReply | PacedReply;
    if (o.mode === 'saturation') load = await ask<BlastReply>({ cmd: 'blast', url: stack.url, connections: CONNECTIONS });
    else load = await ask<PacedReply>({ cmd: 'paced', url: stack.url, rate: o.rate!, connections: CONNECTIONS });
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
    currentStack = null;
    await stack.close();
  }
}

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

function cpuLine(r: RunResult): string {
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

// ---------------------------------------------------------------------------------------------------------------
// Reference

async function referencePostgres(url: string, ref: ReferenceRows): Promise<{ unnest: number[]; copy: number[] }> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  try {
    await applyMigrations(pgRunner(pool));
    const clients = [await pool.connect(), await pool.connect()];
    for (const c of clients) c.on('error', () => undefined);
    const truncate = async () => {
      await clients[0]!.query(`TRUNCATE ${REFERENCE_TABLES.join(', ')}`);
      await clients[0]!.query('CHECKPOINT').catch(() => undefined);
    };
    try {
      const unnest: number[] = [];
      const copy: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        progress.set(`reference (PostgreSQL): bare unnest INSERT ${i + 1}/${RUNS}`);
        await truncate();
        const s = await timeUnnest(clients, ref);
        unnest.push(ref.eventRows / s);
        progress.log(`reference unnest run ${i + 1}: ${fmtInt(ref.eventRows / s)} event rows/s (${s.toFixed(2)} s, all ${REFERENCE_TABLES.length} tables)`);
      }
      await verifyCounts(clients[0]!, ref);
      for (let i = 0; i < RUNS; i++) {
        progress.set(`reference (PostgreSQL): bare COPY ${i + 1}/${RUNS}`);
        await truncate();
        const s = await timeCopy(clients, ref);
        copy.push(ref.eventRows / s);
        progress.log(`reference COPY run ${i + 1}: ${fmtInt(ref.eventRows / s)} event rows/s (${s.toFixed(2)} s)`);
      }
      await verifyCounts(clients[0]!, ref);
      return { unnest, copy };
    } finally {
      for (const c of clients) c.release();
    }
  } finally {
    await pool.end();
  }
}

async function verifyCounts(pool: pg.ClientBase, ref: ReferenceRows): Promise<void> {
  for (const t of REFERENCE_TABLES) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${t}`);
    if (rows[0].n !== ref.rowsByTable[t]) throw new Error(`reference: ${t} holds ${rows[0].n} rows, expected ${ref.rowsByTable[t]}`);
  }
}

async function referencePglite(ref: ReferenceRows): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    progress.set(`reference (PGlite): bare unnest INSERT ${i + 1}/${RUNS}`);
    const db = new PGlite();
    try {
      await db.waitReady;
      const sql = pgliteRunner(db);
      await applyMigrations(sql);
      const s = await timeUnnest([{ query: (q, p) => sql.query(q, p) }], ref);
      out.push(ref.eventRows / s);
      progress.log(`PGlite reference unnest run ${i + 1}: ${fmtInt(ref.eventRows / s)} event rows/s (${s.toFixed(2)} s)`);
    } finally {
      await db.close();
    }
  }
  return out;
}

function referenceRows(batches: number): ReferenceRows {
  const bodies = buildBatches({ projectKey: 'pk_reference_0000000000', batches, eventsPerBatch: EVENTS_PER_BATCH, seed: SEED }).map(encodeBody);
  return buildReferenceRows(bodies, 'prj_reference', parseProjectSettings({ allowedOrigins: [ORIGIN] }));
}

function checkSameRows(r: RunResult, ref: ReferenceRows): string | null {
  const diff = REFERENCE_TABLES.filter((t) => r.rowsByTable[t] !== ref.rowsByTable[t]);
  return diff.length === 0 ? null : diff.map((t) => `${t} ${r.rowsByTable[t]} vs ${ref.rowsByTable[t]}`).join(', ');
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const started = Date.now();
  progress.start();
  progress.set('setting up', 'databases, Redis prefix, load generator');
  const pgs = await setupPostgres();
  loadgen = new LoadgenClient();
  const batches = Math.ceil(EVENTS / EVENTS_PER_BATCH);
  const pgTarget: Target = { kind: 'postgres', databaseUrl: pgs.pipelineUrl, redisUrl: pgs.redisUrl, owned: pgs.pipelineOwned };
  let runNo = 0;
  const prefix = () => `${pgs.redisPrefix}-${++runNo}`;

  // 1. Reference on PostgreSQL.
  progress.set('reference: building final rows in memory');
  const ref = referenceRows(batches);
  let refPg = { unnest: [NaN], copy: [NaN] };
  if (!SKIP.has('reference')) refPg = await referencePostgres(pgs.referenceUrl, ref);

  // 2. Pipeline at saturation, both layouts. Round 1 runs both; later rounds run both (order alternating, so drift
  //    hits both alike) only while they are within 20 % of each other, else only the faster one (time budget).
  const sat: Record<Layout, RunResult[]> = { inline: [], separate: [], none: [] };
  const mismatches: string[] = [];
  const satRun = async (layout: Layout, i: number) => {
    const r = await pipelineRun({
      target: pgTarget,
      layout,
      mode: 'saturation',
      batches,
      label: `pipeline saturation, ${layout} workers, run ${i + 1}/${RUNS}`,
      prefix: prefix(),
    });
    sat[layout].push(r);
    progress.log(describeRun(r));
    progress.log(`  ${cpuLine(r)}`);
    const m = checkSameRows(r, ref);
    if (m) mismatches.push(`${layout} run ${i + 1}: ${m}`);
  };
  if (!SKIP.has('pipeline')) {
    let layouts = LAYOUTS;
    for (let i = 0; i < RUNS; i++) {
      for (const layout of i % 2 === 0 ? layouts : [...layouts].reverse()) await satRun(layout, i);
      if (i === 0 && layouts.length > 1) {
        const [a, b] = layouts.map((l) => sat[l][0]!.eventRowsPerS) as [number, number];
        if (Math.max(a, b) / Math.min(a, b) > 1.2) layouts = [a >= b ? layouts[0]! : layouts[1]!];
      }
    }
  }
  const medSat = (l: Layout) => median(sat[l].map((r) => r.eventRowsPerS));
  const chosen: Layout = LAYOUTS.length === 1 ? LAYOUTS[0]! : !(medSat('inline') > medSat('separate')) ? 'separate' : 'inline';

  // 3. 70 % of the saturation rate, chosen layout.
  const paced: RunResult[] = [];
  const satBatchesPerS = median(sat[chosen].map((r) => r.batchesPerS));
  const pacedRate = Number(process.env.BENCH_PACED_RATE) || 0.7 * satBatchesPerS;
  if (!SKIP.has('paced') && Number.isFinite(pacedRate)) {
    const pacedBatches = Math.max(500, Math.min(batches, Math.round(pacedRate * PACED_SECONDS)));
    for (let i = 0; i < RUNS; i++) {
      const r = await pipelineRun({
        target: pgTarget,
        layout: chosen,
        mode: 'paced',
        batches: pacedBatches,
        rate: pacedRate,
        label: `pipeline at 70% (${fmtInt(pacedRate)} req/s), ${chosen} workers, run ${i + 1}/${RUNS}`,
        prefix: prefix(),
      });
      paced.push(r);
      progress.log(describeRun(r));
      progress.log(`  ${cpuLine(r)}`);
    }
  }

  // 4. Embedded default: PGlite + in-process queue (workers inline by construction).
  const pgliteTarget: Target = { kind: 'pglite' };
  const pgliteBatches = Math.ceil(PGLITE_EVENTS / EVENTS_PER_BATCH);
  const liteSat: RunResult[] = [];
  const litePaced: RunResult[] = [];
  let liteRef: number[] = [NaN];
  if (!SKIP.has('pglite')) {
    progress.set('reference (PGlite): building final rows in memory');
    const liteRows = referenceRows(pgliteBatches);
    liteRef = await referencePglite(liteRows);
    for (let i = 0; i < RUNS; i++) {
      const r = await pipelineRun({
        target: pgliteTarget,
        layout: 'inline',
        mode: 'saturation',
        batches: pgliteBatches,
        label: `embedded (PGlite) saturation, run ${i + 1}/${RUNS}`,
        prefix: 'unused',
      });
      liteSat.push(r);
      progress.log(describeRun(r));
      progress.log(`  ${cpuLine(r)}`);
      const m = checkSameRows(r, liteRows);
      if (m) mismatches.push(`pglite run ${i + 1}: ${m}`);
    }
    const liteRate = 0.7 * median(liteSat.map((r) => r.batchesPerS));
    const liteBatches = Math.max(300, Math.min(pgliteBatches, Math.round(liteRate * PACED_SECONDS)));
    for (let i = 0; i < RUNS; i++) {
      const r = await pipelineRun({
        target: pgliteTarget,
        layout: 'inline',
        mode: 'paced',
        batches: liteBatches,
        rate: liteRate,
        label: `embedded (PGlite) at 70% (${fmtInt(liteRate)} req/s), run ${i + 1}/${RUNS}`,
        prefix: 'unused',
      });
      litePaced.push(r);
      progress.log(describeRun(r));
    }
  }
  progress.stop();

  // 5. The table.
  const med = (rs: RunResult[], f: (r: RunResult) => number) => median(rs.map(f));
  const evs = (x: number) => `${fmtInt(x)} ev/s`;
  const yesNo = (ok: boolean | null) => (ok === null ? '—' : ok ? 'yes' : 'NO');
  const loupeSat = medSat(chosen);
  const refUnnest = median(refPg.unnest);
  const refCopy = median(refPg.copy);
  const ratio = loupeSat / refUnnest;
  const pacedP99 = med(paced, (r) => r.latP99);
  const liteSatMed = med(liteSat, (r) => r.eventRowsPerS);
  const liteRefMed = median(liteRef);
  const other: Layout | undefined = LAYOUTS.find((l) => l !== chosen);
  const rows: string[][] = [
    ['PostgreSQL + Redis (BullMQ)'],
    [`pipeline at saturation, ${chosen} workers (chosen)`, evs(loupeSat), evs(refUnnest), fmtRatio(ratio), '≥ 0.50', yesNo(Number.isFinite(ratio) ? ratio >= 0.5 : null)],
  ];
  if (other) {
    const o = medSat(other);
    rows.push([`pipeline at saturation, ${other} workers`, evs(o), evs(refUnnest), fmtRatio(o / refUnnest), 'info', '—']);
  }
  rows.push(
    ['same pipeline vs bare COPY (2 connections)', evs(loupeSat), evs(refCopy), fmtRatio(loupeSat / refCopy), 'info', '—'],
    ['/collect accept rate at saturation (tracker events)', evs(med(sat[chosen], (r) => r.acceptedEventsPerS)), '—', '—', 'info', '—'],
    ['lag accept → queryable p50 at saturation (backlog)', fmtMs(med(sat[chosen], (r) => r.lagP50)), '—', '—', 'info', '—'],
    ['lag accept → queryable p99 at saturation (backlog)', fmtMs(med(sat[chosen], (r) => r.lagP99)), '—', '—', 'info', '—'],
    [`lag accept → queryable p50 at 70% (${fmtInt(pacedRate)} req/s)`, fmtMs(med(paced, (r) => r.lagP50)), '—', '—', 'info', '—'],
    [`lag accept → queryable p99 at 70%`, fmtMs(med(paced, (r) => r.lagP99)), '—', '—', 'info', '—'],
    [`/collect latency p50 at 70%`, fmtMs(med(paced, (r) => r.latP50)), '—', '—', 'info', '—'],
    [`/collect latency p99 at 70%`, fmtMs(pacedP99), '—', '—', '< 20 ms', yesNo(Number.isFinite(pacedP99) ? pacedP99 < 20 : null)],
    ['batches per worker transaction, saturation / 70%', `${med(sat[chosen], (r) => r.batchesPerTxn).toFixed(1)} / ${med(paced, (r) => r.batchesPerTxn).toFixed(1)}`, '—', '—', 'info', '—'],
    ['Embedded default (PGlite + in-process queue)'],
    ['pipeline at saturation', evs(liteSatMed), evs(liteRefMed), fmtRatio(liteSatMed / liteRefMed), 'info', '—'],
    [`lag accept → queryable p50 / p99 at 70%`, `${fmtMs(med(litePaced, (r) => r.lagP50))} / ${fmtMs(med(litePaced, (r) => r.lagP99))}`, '—', '—', 'info', '—'],
    [`/collect latency p50 at 70%`, fmtMs(med(litePaced, (r) => r.latP50)), '—', '—', 'info', '—'],
    [`/collect latency p99 at 70%`, fmtMs(med(litePaced, (r) => r.latP99)), '—', '—', 'info', '—'],
  );

  const out: string[] = [];
  out.push('');
  out.push(`Loupe ingest benchmark — ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`);
  out.push(
    `All processes share these ${os.cpus().length} cores: api (this process), worker process (separate layout), load generator ` +
      '(its own process), PostgreSQL, Redis.',
  );
  out.push(
    `Workload: ${fmtInt(batches)} batches × ${EVENTS_PER_BATCH} events per saturation run (${fmtInt(ref.eventRows)} final event rows; ` +
      `scroll events update page views/sessions and make no row of their own), ${CONNECTIONS} keep-alive connections; ` +
      `median of ${RUNS} runs per figure.`,
  );
  out.push(
    'Events/s = final event rows (page_views, clicks, js_errors, custom_tags, custom_events, checkout_events) per second, from the ' +
      "first request to the last worker transaction's commit; the reference inserts the same rows (plus their sessions and " +
      'visitors) into a freshly migrated database: bare INSERT … SELECT FROM unnest, 5k-row chunks, 2 connections.',
  );
  out.push('');
  out.push(table(['measure', 'Loupe', 'reference', 'ratio', 'target', 'met?'], rows));
  out.push('');
  if (LAYOUTS.length > 1 && sat.inline.length && sat.separate.length) {
    out.push(
      `Layout: ${chosen} kept — median ${evs(medSat(chosen))} vs ${evs(medSat(other!))} for ${other} ` +
        `(runs: inline ${sat.inline.map((r) => fmtInt(r.eventRowsPerS)).join(', ')}; separate ${sat.separate.map((r) => fmtInt(r.eventRowsPerS)).join(', ')}; ` +
        'the slower layout is not re-run once it trails by more than 20%).',
    );
  }
  for (const l of LAYOUTS) {
    const rs = sat[l];
    if (!rs.length) continue;
    const mid = [...rs].sort((a, b) => a.eventRowsPerS - b.eventRowsPerS)[rs.length >> 1]!;
    out.push(`CPU, ${l} (median run): ${cpuLine(mid)}`);
  }
  if (paced.length) out.push(`CPU, ${chosen} at 70% (median run): ${cpuLine([...paced].sort((a, b) => a.latP99 - b.latP99)[paced.length >> 1]!)}`);
  if (liteSat.length) out.push(`CPU, embedded (median run): ${cpuLine([...liteSat].sort((a, b) => a.eventRowsPerS - b.eventRowsPerS)[liteSat.length >> 1]!)}`);
  const lagSources = new Set([...paced, ...litePaced, ...sat.inline, ...sat.separate].map((r) => r.lagSource));
  out.push(
    `Lag: at 70% from the moment each 200 reached the client to the commit of the worker transaction that wrote its rows` +
      (lagSources.has('processed_at') ? ' (some rows fell back to processed_at, the transaction START)' : '') +
      '; at saturation from inbox received_at, i.e. it includes the backlog the workers are draining.',
  );
  const all = [...sat.inline, ...sat.separate, ...paced, ...liteSat, ...litePaced];
  const foreign = all.map((r) => {
    const other = Object.entries(r.cpu.byGroup).filter(([k]) => k.startsWith('other:')).reduce((n, [, v]) => n + v, 0);
    return other / (r.cpu.wall * os.cpus().length);
  });
  if (foreign.length) {
    const worst = Math.max(...foreign);
    out.push(
      `Foreign load: processes outside the benchmark used ${(median(foreign) * 100).toFixed(0)}% of the machine in the median run, ` +
        `${(worst * 100).toFixed(0)}% at worst` +
        (worst > 0.1 ? ' — WARNING: something else was running; figures from those runs are pessimistic.' : '.'),
    );
  }
  const failures = [...sat.inline, ...sat.separate, ...paced, ...liteSat, ...litePaced].filter((r) => r.non2xx || r.errors);
  if (failures.length) out.push(`WARNING: ${failures.length} runs saw non-2xx responses or errors.`);
  out.push(mismatches.length ? `WARNING: row counts differ from the reference: ${mismatches.join('; ')}` : 'Row counts per table: pipeline = reference in every run.');
  if (!pgs.pipelineOwned) out.push('Note: DATABASE_URL was given, so its tables were not truncated between runs (rows are counted per project).');
  out.push(`Total time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  process.stdout.write(out.join('\n') + '\n');
}

let cleaning: Promise<void> | null = null;
/** Idempotent: a signal and the failing main() it causes share one cleanup. */
function cleanup(): Promise<void> {
  cleaning ??= doCleanup();
  return cleaning;
}

async function doCleanup(): Promise<void> {
  // Connections the cleanup itself cuts (dropping a database terminates its backends) must not crash it.
  process.on('uncaughtException', (err) => process.stderr.write(`(during cleanup) ${err.message}\n`));
  const stack = currentStack;
  currentStack = null;
  if (stack) await Promise.race([stack.close(), new Promise((r) => setTimeout(r, 15_000).unref())]).catch(() => undefined);
  if (loadgen?.child.connected) loadgen.child.send({ cmd: 'exit' } satisfies LoadgenRequest, () => undefined);
  for (const c of [...children]) await stopChild(c, 3000).catch(() => undefined);
  for (const { what, fn } of cleanups.splice(0).reverse()) {
    await fn().catch((err: unknown) => process.stderr.write(`cleanup (${what}) failed: ${err instanceof Error ? err.message : String(err)}\n`));
  }
}

let exiting = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (exiting) process.exit(1);
    exiting = true;
    progress.stop();
    process.stderr.write(`\n${signal}: cleaning up…\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

main().then(
  async () => {
    await cleanup();
    process.exit(0);
  },
  async (err: unknown) => {
    progress.stop();
    if (!exiting) process.stderr.write(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await cleanup();
    process.exit(exiting ? 130 : 1);
  },
);
