/**
 * `npm run bench:insights`: (a) detection quality against intent labels, the analyzer's throughput on PostgreSQL,
 * (b) dashboard latency on the 1M-session store (`npm run bench:insights:latency` runs (b) alone).
 */
import { Progress } from '../ingest/util.ts';
import { runDashboardLatency } from './latency.ts';
import { runQuality } from './quality.ts';
import { runAnalyzerThroughput } from './throughput.ts';

const sessions = Number(process.env.BENCH_INSIGHT_SESSIONS ?? 20_000);
await runQuality(sessions);
const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const progress = new Progress();
progress.start();
await runAnalyzerThroughput(adminUrl, sessions, progress);
if (process.env.BENCH_SKIP_LATENCY !== '1') await runDashboardLatency();
