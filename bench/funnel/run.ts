/**
 * `npm run bench:funnel`: the funnel API over a synthetic store (1M sessions / 200k checkouts by default) in
 * PostgreSQL, through the real HTTP route, for a fixed mix of requests. Beside each, the reference floor measured in
 * the same run: a bare `count(*)` of the sessions in the same range (what any answer must at least read).
 * Target: median ≤ 1 s per request on a 2-core machine.
 *
 * Env: DATABASE_URL (server to use; default postgresql://postgres@127.0.0.1:5432), BENCH_SESSIONS,
 * BENCH_CHECKOUTS, BENCH_ROUNDS (default 7).
 */
import { fmtMs, fmtRatio, median, percentile, Progress, table } from '../ingest/util.ts';
import { DEFAULT_SPEC, ensureStore, STORE_DB, withDatabase } from '../store/generateStore.ts';
import { timeRequestMix, type MixEntry } from '../store/timeRequestMix.ts';

const TARGET_MS = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const spec = {
  ...DEFAULT_SPEC,
  sessions: Number(process.env.BENCH_SESSIONS ?? DEFAULT_SPEC.sessions),
  checkouts: Number(process.env.BENCH_CHECKOUTS ?? DEFAULT_SPEC.checkouts),
};

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The request mix: [label, query string, days covered]. */
const MIX: MixEntry[] = [
  ['30 days, no filter', `from=${day(-30)}&to=${day(0)}`, 31],
  ['7 days, no filter', `from=${day(-7)}&to=${day(0)}`, 8],
  ['30 days, device=mobile', `from=${day(-30)}&to=${day(0)}&device=mobile`, 31],
  ['30 days, source=google.com', `from=${day(-30)}&to=${day(0)}&source=google.com`, 31],
  ['30 days, tag plan:vip', `from=${day(-30)}&to=${day(0)}&tag=plan:vip`, 31],
];

async function main(): Promise<void> {
  const progress = new Progress();
  progress.start();
  const adminUrl = withDatabase(process.env.DATABASE_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/postgres', 'postgres');
  const url = await ensureStore(adminUrl, STORE_DB, spec, progress);

  const { times, sample } = await timeRequestMix<{ overall: { sessions: number; started: number; confirmed: number } }>(
    url, 'funnel', MIX, ROUNDS, progress,
  );
  progress.stop();

  const rows = MIX.map(([label]) => {
    const { api, ref, failed } = times.get(label)!;
    const sorted = [...api].sort((a, b) => a - b);
    const med = median(api);
    return [label, fmtMs(med), fmtMs(percentile(sorted, 90)), fmtMs(median(ref)), fmtRatio(med / median(ref)), !failed && med <= TARGET_MS ? 'yes' : 'NO'];
  });
  process.stdout.write(
    `\nFunnel API — ${spec.sessions.toLocaleString('en-US')} sessions, ${spec.checkouts.toLocaleString('en-US')} checkouts, PostgreSQL, ${ROUNDS} rounds\n\n` +
      table(['request', 'median', 'p90', 'ref: count(*) median', 'ratio', `≤ ${TARGET_MS} ms`], rows) +
      `\n\n30-day answer: ${sample?.overall.sessions.toLocaleString('en-US')} sessions, ${sample?.overall.started.toLocaleString('en-US')} started checkout, ` +
      `${sample?.overall.confirmed.toLocaleString('en-US')} confirmed.\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
