/**
 * Where the pipeline's time goes (diagnosis, not part of `bench:ingest`):
 *
 *   A. ingest only: api (HTTP → group-committed inbox), no consumer — accept rate, CPU per request, inbox commits
 *   B. worker only: the real worker process (`api/src/worker.ts`) draining the inbox filled in A
 *   C. worker logic in this process, one job at a time, with every SQL statement timed (wall, idle machine)
 *   D. the bare reference INSERT of the rows of C, per table, for comparison
 *
 *   npx tsx bench/ingest/breakdown.ts   (BENCH_EVENTS, default 120000; BENCH_JOB_SIZE, default 16;
 *                                        BENCH_GROUP_MAX caps inbox group commits, hence worker job sizes)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseBatch, parseProjectSettings } from '@loupe/contract';
import type { SqlRunner } from '@loupe/prisma/sql';
import pg from 'pg';
import { createLogger } from '../../api/src/logger.ts';
import { deleteKeysWithPrefix } from '../../api/src/queue/redisKeys.ts';
import { processInbox } from '../../api/src/workers/processInbox.ts';
import type { BlastReply, BuildReply } from './loadgen.ts';
import { ORIGIN } from './loadgen.ts';
import { LoadgenClient } from './loadgenClient.ts';
import { buildReferenceRows, timeUnnest } from './reference.ts';
import { children, EVENT_TABLES, REPO_ROOT, startStack, stopChild, TSX_IMPORT, WORKER_NODE_FLAGS } from './stack.ts';
import { cpuDelta, fmtInt, sampleCpu } from './util.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 120_000);
const JOB = Number(process.env.BENCH_JOB_SIZE ?? 16);
const BATCHES = Math.ceil(EVENTS / 20);
const rand = randomBytes(4).toString('hex');
const ADMIN = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB = `loupe_bench_${rand}_bd`;
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `loupe-bench-${rand}`;
const url = ADMIN.replace(/\/postgres$/, `/${DB}`);
const say = (s: string) => process.stdout.write(`${s}\n`);
const cpuText = (d: ReturnType<typeof cpuDelta>) =>
  Object.entries(d.byGroup)
    .filter(([k, v]) => ['api', 'worker', 'loadgen', 'postgres', 'redis'].includes(k) || (k !== 'softirq' && v >= 0.1))
    .map(([k, v]) => `${k} ${v.toFixed(2)}s`)
    .join(', ') + ` over ${d.wall.toFixed(2)} s wall`;

async function adminQuery(sql: string, params?: unknown[]): Promise<void> {
  const c = new pg.Client(ADMIN);
  c.on('error', () => undefined);
  await c.connect();
  await c.query(sql, params).finally(() => c.end());
}

async function main(): Promise<void> {
  await adminQuery(`CREATE DATABASE ${DB}`);
  try {
    await measure();
  } finally {
    for (const c of [...children]) await stopChild(c, 3000).catch(() => undefined);
    await deleteKeysWithPrefix(REDIS, PREFIX).catch(() => undefined);
    await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [DB]);
    await adminQuery(`DROP DATABASE IF EXISTS ${DB}`);
  }
}

async function measure(): Promise<void> {
  const lg = new LoadgenClient();
  const target = { kind: 'postgres' as const, databaseUrl: url, redisUrl: REDIS, owned: true };
  const groupMax = process.env.BENCH_GROUP_MAX;
  const stack = await startStack({ target, layout: 'none', redisPrefix: PREFIX, env: groupMax ? { LOUPE_GROUP_COMMIT_MAX: groupMax } : {} });
  if (groupMax) say(`(LOUPE_GROUP_COMMIT_MAX=${groupMax}: every inbox INSERT, and so every worker job, carries at most ${groupMax} batches)`);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  try {
    // ---- A. ingest only
    const inboxSql = (stack.runtime.deps.inbox as unknown as { sql: SqlRunner }).sql;
    const commits: { ms: number; rows: number }[] = [];
    (stack.runtime.deps.inbox as unknown as { sql: SqlRunner }).sql = {
      ...inboxSql,
      async query<R>(q: string, params?: readonly unknown[]): Promise<R[]> {
        const t = performance.now();
        const r = await inboxSql.query<R>(q, params);
        commits.push({ ms: performance.now() - t, rows: (params?.[0] as unknown[]).length });
        return r;
      },
    };
    const warm = await stack.newProject('warm');
    await lg.ask<BuildReply>({ cmd: 'build', spec: { projectKey: warm.key, batches: 300, eventsPerBatch: 20, seed: 1 } });
    await lg.ask<BlastReply>({ cmd: 'blast', url: stack.url, connections: 16 });
    commits.length = 0;
    const project = await stack.newProject('measured');
    await lg.ask<BuildReply>({ cmd: 'build', spec: { projectKey: project.key, batches: BATCHES, eventsPerBatch: 20, seed: 7 } });
    const pids = { api: process.pid, loadgen: lg.pid };
    const c0 = sampleCpu(pids);
    const elu0 = performance.eventLoopUtilization();
    const blast = await lg.ask<BlastReply>({ cmd: 'blast', url: stack.url, connections: 64 });
    const elu = performance.eventLoopUtilization(elu0);
    const dA = cpuDelta(c0, sampleCpu(pids));
    const sA = (blast.endMs - blast.startMs) / 1000;
    const sorted = commits.map((c) => c.ms).sort((a, b) => a - b);
    say(`A. ingest only (api → inbox, no consumer), ${fmtInt(BATCHES)} requests × 20 events, 64 connections:`);
    say(`   ${fmtInt(BATCHES / sA)} req/s = ${fmtInt((BATCHES * 20) / sA)} tracker events/s; /collect p50 ${blast.latencyP50} ms p99 ${blast.latencyP99} ms; non-2xx ${blast.non2xx}`);
    say(`   api event-loop utilisation ${elu.utilization.toFixed(2)}; CPU ${cpuText(dA)}`);
    say(`   per request: api ${fmtInt((dA.byGroup.api! * 1e6) / BATCHES)} µs CPU, postgres ${fmtInt((dA.byGroup.postgres! * 1e6) / BATCHES)} µs CPU`);
    say(`   inbox INSERTs: ${commits.length}, mean ${(commits.reduce((n, c) => n + c.rows, 0) / commits.length).toFixed(1)} rows, ` +
      `wall p50 ${sorted[sorted.length >> 1]!.toFixed(1)} ms p99 ${sorted[Math.floor(sorted.length * 0.99)]!.toFixed(1)} ms (includes waiting for the busy event loop)`);

    // ---- B. the real worker process drains what A committed (its jobs wait in Redis)
    const env = {
      ...process.env, DATABASE_URL: url, REDIS_URL: REDIS, LOUPE_REDIS_PREFIX: PREFIX, LOG_LEVEL: 'warn',
    };
    const c1 = sampleCpu({ api: process.pid });
    const worker = spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', TSX_IMPORT, path.join(REPO_ROOT, 'api/src/worker.ts')], { cwd: REPO_ROOT, env, stdio: 'inherit' });
    children.add(worker);
    for (;;) {
      const { rows } = await pool.query('SELECT count(*) FILTER (WHERE processed_at IS NULL)::int AS n FROM inbox_batches');
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const dB = cpuDelta(c1, sampleCpu({ api: process.pid, worker: worker.pid }));
    await stopChild(worker);
    const { rows: [b] } = await pool.query(
      `SELECT extract(epoch FROM max(m.at) - min(m.at))::float8 AS s, count(DISTINCT m.xid)::int AS jobs,
              (SELECT ${EVENT_TABLES.map((t) => `(SELECT count(*) FROM ${t} WHERE project_id = $1)`).join(' + ')})::int AS rows
         FROM inbox_batches i JOIN bench_commit_marks m ON m.xid = i.xmin::text::bigint WHERE i.project_id = $1`,
      [project.id],
    );
    say(`B. worker only: the worker process (concurrency ${process.env.LOUPE_WORKER_CONCURRENCY ?? 1}) drains the inbox with both cores free of HTTP:`);
    say(`   ${fmtInt(b.rows / b.s)} event rows/s (${fmtInt(b.rows)} rows, ${b.jobs} transactions, first→last commit ${b.s.toFixed(2)} s)`);
    say(`   CPU (incl. worker start-up): ${cpuText(dB)}; per batch: worker ${fmtInt(((dB.byGroup.worker ?? 0) * 1e6) / BATCHES)} µs, postgres ${fmtInt((dB.byGroup.postgres! * 1e6) / BATCHES)} µs`);

    // ---- C. the worker's logic in this process, statement by statement, one job at a time
    await lg.ask<BuildReply>({ cmd: 'build', spec: { projectKey: project.key, batches: BATCHES, eventsPerBatch: 20, seed: 8 } });
    await lg.ask<BlastReply>({ cmd: 'blast', url: stack.url, connections: 64 });
    await stack.runtime.deps.inbox.flushed();
    const { rows: idRows } = await pool.query<{ id: string }>(
      'SELECT id::text AS id FROM inbox_batches WHERE processed_at IS NULL ORDER BY id',
    );
    const ids = idRows.map((r) => r.id);
    const stmt = new Map<string, { ms: number; n: number }>();
    const label = (q: string) => {
      const s = q.replace(/\s+/g, ' ').trim();
      const m = /^(INSERT INTO \w+|UPDATE \w+|SELECT DISTINCT ON|SELECT \w+|BEGIN|COMMIT|ROLLBACK)/.exec(s);
      return m ? m[1]! : s.slice(0, 30);
    };
    const time = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await fn();
      } finally {
        const e = stmt.get(key) ?? { ms: 0, n: 0 };
        e.ms += performance.now() - t;
        e.n++;
        stmt.set(key, e);
      }
    };
    const base = stack.runtime.deps.db.sql;
    const timed: SqlRunner = {
      query: (q, p) => time(label(q), () => base.query(q, p)),
      exec: (s) => base.exec(s),
      copyFrom: (t, c, text) => time(`COPY ${t}`, () => base.copyFrom(t, c, text)),
      transaction: (fn) =>
        time('transaction (total)', () =>
          base.transaction((tx) =>
            fn({
              query: (q, p) => time(label(q), () => tx.query(q, p)),
              exec: (s) => tx.exec(s),
              copyFrom: (t, c, text) => time(`COPY ${t}`, () => tx.copyFrom(t, c, text)),
              transaction: tx.transaction,
            }),
          )),
    };
    const log = createLogger('warn');
    const c2 = sampleCpu({ api: process.pid });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let events = 0;
    for (let i = 0; i < ids.length; i += JOB) events += (await processInbox(timed, stack.runtime.deps.projects, { ids: ids.slice(i, i + JOB) }, log)).events;
    const wallC = (performance.now() - t0) / 1000;
    const cpuC = process.cpuUsage(cpu0);
    const dC = cpuDelta(c2, sampleCpu({ api: process.pid }));
    const total = stmt.get('transaction (total)')!.ms;
    say(`C. worker logic in-process, ${ids.length} batches in jobs of ${JOB}, one at a time: ${fmtInt(events / wallC)} event rows/s`);
    say(`   node CPU ${((cpuC.user + cpuC.system) / 1e6).toFixed(2)} s, postgres CPU ${dC.byGroup.postgres!.toFixed(2)} s, wall ${wallC.toFixed(2)} s`);
    const sqlMs = [...stmt].filter(([k]) => k !== 'transaction (total)').reduce((n, [, v]) => n + v.ms, 0);
    for (const [k, v] of [...stmt].sort((a, b) => b[1].ms - a[1].ms)) {
      say(`   ${k.padEnd(28)} ${v.ms.toFixed(0).padStart(6)} ms  ${((100 * v.ms) / total).toFixed(1).padStart(5)}%  (${v.n} × ${(v.ms / v.n).toFixed(2)} ms)`);
    }
    say(`   ${'JS between statements'.padEnd(28)} ${(total - sqlMs).toFixed(0).padStart(6)} ms  ${((100 * (total - sqlMs)) / total).toFixed(1).padStart(5)}%  (decode + parse + rows + params)`);

    // Decode cost alone, for scale.
    const { rows: bodies } = await pool.query<{ body: string }>('SELECT body FROM inbox_batches WHERE project_id = $1 LIMIT 2000', [project.id]);
    const tp = performance.now();
    for (const r of bodies) parseBatch(JSON.parse(r.body));
    say(`   of which parseBatch(JSON.parse(body)) alone: ${(((performance.now() - tp) * 1000) / bodies.length).toFixed(0)} µs per batch`);

    // ---- D. bare reference of the same rows on the same database, per table
    const ref = buildReferenceRows(bodies.map((r) => r.body), project.id, parseProjectSettings({ allowedOrigins: [ORIGIN] }));
    const perTable: string[] = [];
    let refMs = 0;
    for (const t of ref.tables) {
      await pool.query(`CREATE TABLE ref_${t.table} (LIKE ${t.table} INCLUDING ALL)`);
      const s = await timeUnnest([{ query: (q, p) => pool.query(q.replace(`INSERT INTO ${t.table} `, `INSERT INTO ref_${t.table} `), p as unknown[]) }], { ...ref, tables: [t] });
      await pool.query(`DROP TABLE ref_${t.table}`);
      refMs += s * 1000;
      perTable.push(`${t.table} ${(s * 1000).toFixed(0)} ms/${fmtInt(t.rows)}`);
    }
    say(`D. bare unnest INSERT of the final rows of ${bodies.length} of those batches (tables LIKE … INCLUDING ALL, 1 connection): ` +
      `${fmtInt(ref.eventRows / (refMs / 1000))} event rows/s; ${perTable.join(', ')}`);
  } finally {
    await stack.close();
    if (lg.child.connected) lg.child.send({ cmd: 'exit' });
    await pool.end();
  }
}

process.stdout.on('error', () => undefined); // e.g. piped into `head`: keep going so the cleanup runs
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`${signal}: dropping ${DB}, deleting ${PREFIX}*\n`);
    process.on('uncaughtException', () => undefined);
    void (async () => {
      for (const c of [...children]) await stopChild(c, 3000).catch(() => undefined);
      await deleteKeysWithPrefix(REDIS, PREFIX).catch(() => undefined);
      await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [DB]).catch(() => undefined);
      await adminQuery(`DROP DATABASE IF EXISTS ${DB}`).catch(() => undefined);
      process.exit(130);
    })();
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`breakdown failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
