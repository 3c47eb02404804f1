/**
 * How high can the saturation ratio go on this machine at all? (diagnosis, not part of `bench:ingest`)
 *
 * The pipeline must do at least what the reference does (insert the final rows) plus work the reference never
 * pays: the load generator's requests, HTTP, decoding and validating each body, and the durable inbox INSERT. This
 * times each of those parts alone, on the same workload as `bench:ingest`, with CPU read from /proc:
 *
 *   R. the reference: bare unnest INSERT of the final rows (2 connections), as `bench:ingest` times it
 *   H. HTTP floor: the load generator against a bare node:http server that reads each body and answers 200
 *   V. the same, with the server decoding and validating each body (JSON.parse + parseBatch, as /collect does)
 *   I. the inbox INSERT alone: the real group-committing InboxWriter, no HTTP, no consumer
 *
 * Sum the CPU of R + V + I, spread it over the cores, and the ratio a pipeline could reach if its workers cost
 * nothing beyond the reference's own INSERT is printed — an upper bound, since a real worker also reads the inbox.
 *
 *   npx tsx bench/ingest/floor.ts   (BENCH_EVENTS, default 200000; BENCH_RUNS, default 3)
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { parseBatch, parseProjectSettings } from '@loupe/contract';
import pg from 'pg';
import { pgRunner } from '../../api/src/db/pgRunner.ts';
import { InboxWriter } from '../../api/src/ingest/inboxWriter.ts';
import { applyMigrations } from '../../prisma/migrations.ts';
import { EVENTS, EVENTS_PER_BATCH, RUNS, SEED } from './config.ts';
import type { BlastReply, BuildReply } from './loadgen.ts';
import { ORIGIN } from './loadgen.ts';
import { LoadgenClient } from './loadgenClient.ts';
import { buildReferenceRows, REFERENCE_TABLES, timeUnnest } from './reference.ts';
import { children, stopChild } from './stack.ts';
import { cpuDelta, fmtInt, median, sampleCpu, table } from './util.ts';
import { buildBatches, encodeBody } from './workload.ts';

const BATCHES = Math.ceil(EVENTS / EVENTS_PER_BATCH);
const ADMIN = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB = `loupe_bench_${randomBytes(4).toString('hex')}_floor`;
const say = (s: string) => process.stdout.write(`${s}\n`);

interface Part {
  wall: number;
  cpu: number;
  detail: string;
}

async function admin(sql: string, params?: unknown[]): Promise<void> {
  const c = new pg.Client(ADMIN);
  c.on('error', () => undefined);
  await c.connect();
  await c.query(sql, params).finally(() => c.end());
}

/** CPU of the named groups between two samples. */
function cpuOf(a: ReturnType<typeof sampleCpu>, b: ReturnType<typeof sampleCpu>, groups: string[]): { wall: number; cpu: number; text: string } {
  const d = cpuDelta(a, b);
  const parts = groups.map((g) => [g, d.byGroup[g] ?? 0] as const);
  return { wall: d.wall, cpu: parts.reduce((s, [, v]) => s + v, 0), text: parts.map(([g, v]) => `${g} ${v.toFixed(2)}s`).join(', ') };
}

async function main(): Promise<void> {
  await admin(`CREATE DATABASE ${DB}`);
  const lg = new LoadgenClient();
  try {
    await measure(lg);
  } finally {
    for (const c of [...children]) await stopChild(c, 3000).catch(() => undefined);
    await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [DB]);
    await admin(`DROP DATABASE IF EXISTS ${DB}`);
  }
}

async function measure(lg: LoadgenClient): Promise<void> {
  const url = ADMIN.replace(/\/postgres$/, `/${DB}`);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  const sql = pgRunner(pool);
  await applyMigrations(sql);
  const bodies = buildBatches({ projectKey: 'pk_floor_00000000000000', batches: BATCHES, eventsPerBatch: EVENTS_PER_BATCH, seed: SEED }).map(encodeBody);
  const ref = buildReferenceRows(bodies, 'prj_floor', parseProjectSettings({ allowedOrigins: [ORIGIN] }));
  const built = await lg.ask<BuildReply>({ cmd: 'build', spec: { projectKey: 'pk_floor_00000000000000', batches: BATCHES, eventsPerBatch: EVENTS_PER_BATCH, seed: SEED } });
  say(`${fmtInt(built.batches)} batches, ${fmtInt(built.events)} events, ${fmtInt(built.bytes / built.batches)} B per body; ${RUNS} runs per part, medians`);
  const self = { bench: process.pid, loadgen: lg.pid };

  const results: Record<string, Part[]> = { R: [], H: [], V: [], I: [] };
  const c1 = await pool.connect();
  const c2 = await pool.connect();
  for (let run = 0; run < RUNS; run++) {
    // R. the reference insert
    await c1.query(`TRUNCATE ${REFERENCE_TABLES.join(', ')}`);
    await c1.query('CHECKPOINT');
    let a = sampleCpu(self);
    const s = await timeUnnest([c1, c2], ref);
    let c = cpuOf(a, sampleCpu(self), ['bench', 'postgres']);
    results.R!.push({ wall: s, cpu: c.cpu, detail: c.text });

    // H and V: HTTP floor, without and with decoding + validation
    for (const validate of [false, true]) {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (d: Buffer) => chunks.push(d));
        req.on('end', () => {
          let ok = true;
          if (validate) ok = parseBatch(JSON.parse(Buffer.concat(chunks).toString('utf8'))).ok;
          const text = ok ? '{"ok":true}' : '{"ok":false}';
          res.writeHead(ok ? 200 : 400, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': text.length });
          res.end(text);
        });
      });
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      a = sampleCpu(self);
      const blast = await lg.ask<BlastReply>({ cmd: 'blast', url: `http://127.0.0.1:${port}`, connections: 64 });
      c = cpuOf(a, sampleCpu(self), ['bench', 'loadgen']);
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      if (blast.non2xx > 0 || blast.errors > 0) throw new Error(`HTTP floor: ${blast.non2xx} non-2xx, ${blast.errors} errors`);
      results[validate ? 'V' : 'H']!.push({ wall: (blast.endMs - blast.startMs) / 1000, cpu: c.cpu, detail: c.text });
    }

    // I. the inbox INSERT alone, group-committed as the api does (64 writers in flight, like 64 connections)
    await c1.query('TRUNCATE inbox_batches');
    const projectId = (await c1.query<{ id: string }>(`INSERT INTO projects (id, name, ingest_key, settings) VALUES ('prj_floor_' || $1, 'floor', 'pk_floor_' || $1, '{}') RETURNING id`, [run])).rows[0]!.id;
    const inbox = new InboxWriter(sql, { maxBatch: 256, concurrency: 2, onCommitted: () => undefined });
    const metas = bodies.map((b) => {
      const p = parseBatch(JSON.parse(b));
      if (!p.ok) throw new Error(p.error);
      return p.batch;
    });
    a = sampleCpu(self);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < bodies.length) {
          const i = next++;
          const m = metas[i]!;
          await inbox.write({ projectId, sessionId: m.sessionId, pageViewId: m.pageViewId, seq: m.seq, body: bodies[i]!, userAgent: null });
        }
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    c = cpuOf(a, sampleCpu(self), ['bench', 'postgres']);
    results.I!.push({ wall, cpu: c.cpu, detail: c.text });
    say(`run ${run + 1}: ${Object.entries(results).map(([k, v]) => `${k} ${v.at(-1)!.cpu.toFixed(2)} CPU-s / ${v.at(-1)!.wall.toFixed(2)} s`).join(' · ')}`);
  }
  c1.release();
  c2.release();
  await pool.end();

  const med = (k: string, f: (p: Part) => number) => median(results[k]!.map(f));
  const cores = os.availableParallelism();
  const names: Record<string, string> = {
    R: 'R. reference: bare unnest INSERT (bench + PostgreSQL)',
    H: 'H. HTTP only: load generator + bare node:http server',
    V: 'V. HTTP + JSON.parse + parseBatch (load generator + server)',
    I: 'I. inbox group-commit INSERT alone (bench + PostgreSQL)',
  };
  say('');
  /** The split of the run whose CPU is the median one. */
  const split = (k: string) => [...results[k]!].sort((x, y) => x.cpu - y.cpu)[Math.floor(results[k]!.length / 2)]!.detail;
  say(table(['part', 'wall s', 'CPU s', 'CPU split (median run)'], Object.keys(names).map((k) => [names[k]!, med(k, (p) => p.wall).toFixed(2), med(k, (p) => p.cpu).toFixed(2), split(k)])));
  const refWall = med('R', (p) => p.wall);
  const floorCpu = med('R', (p) => p.cpu) + med('V', (p) => p.cpu) + med('I', (p) => p.cpu);
  const floorWall = floorCpu / cores;
  say('');
  say(`R + V + I = ${floorCpu.toFixed(2)} CPU-s; spread perfectly over ${cores} cores: ${floorWall.toFixed(2)} s wall at best`);
  say(`best ratio with workers that cost nothing beyond the reference's INSERT: ${refWall.toFixed(2)} / ${floorWall.toFixed(2)} = ${(refWall / floorWall).toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
