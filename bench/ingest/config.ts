/**
 * The ingest benchmark's settings, read once from the environment (all optional):
 *
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
 *
 * DATABASE_URL and REDIS_URL are read where the databases are set up (`databases.ts`).
 */
import type { Layout } from './stack.ts';

/** A positive integer from the environment; anything else (unset, 0, garbage) means the default. */
const envInt = (name: string, def: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : def;
};

export const EVENTS_PER_BATCH = 20;
export const EVENTS = envInt('BENCH_EVENTS', 200_000);
export const RUNS = envInt('BENCH_RUNS', 3);
export const CONNECTIONS = envInt('BENCH_CONNECTIONS', 64);
export const PACED_SECONDS = envInt('BENCH_PACED_SECONDS', 8);
export const PGLITE_EVENTS = envInt('BENCH_PGLITE_EVENTS', 20_000);
export const LAYOUTS = (process.env.BENCH_LAYOUTS ?? 'inline,separate').split(',').map((s) => s.trim()) as Layout[];
export const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
export const WORKER_PROF = process.env.BENCH_WORKER_PROF;
/** Requests/s for the paced runs; 0 (unset) means 70 % of the measured saturation rate. */
export const PACED_RATE = Number(process.env.BENCH_PACED_RATE) || 0;
/** Workload seed of the measured runs, shared with the reference so both store the same rows. */
export const SEED = 20_261_128;
export const WARMUP_BATCHES = 300;
