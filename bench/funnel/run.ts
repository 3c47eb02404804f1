/**
 * `npm run bench:funnel`: the funnel API over a synthetic store (1M sessions / 200k checkouts by default) in
 * PostgreSQL, through the real HTTP route, for a fixed mix of requests. Beside each, the reference floor measured in
 * the same run: a bare `count(*)` of the sessions in the same range (what any answer must at least read).
 * Target: median ≤ 1 s per request on a 2-core machine.
 *
 * Env: DATABASE_URL (server to use; default postgresql://postgres@127.0.0.1:5432), BENCH_SESSIONS,
 * BENCH_CHECKOUTS, BENCH_ROUNDS (default 7).
 */
import pg from 'pg';
import { configSchema } from '../../api/src/config.ts';
import { createLogger } from '../../api/src/logger.ts';
import { createApiToken } from '../../api/src/projects/createApiToken.ts';
import { createRuntime } from '../../api/src/runtime.ts';
import { listen } from '../../api/src/server.ts';
import { fmtMs, fmtRatio, median, percentile, Progress, table } from '../ingest/util.ts';
import { BENCH_PROJECT_ID, DEFAULT_SPEC, ensureStore, STORE_DB, withDatabase } from '../store/generateStore.ts';

const TARGET_MS = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const spec = {
  ...DEFAULT_SPEC,
  sessions: Number(process.env.BENCH_SESSIONS ?? DEFAULT_SPEC.sessions),
  checkouts: Number(process.env.BENCH_CHECKOUTS ?? DEFAULT_SPEC.checkouts),
};

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The request mix: [label, query string, days covered]. */
const MIX: [string, string, number][] = [
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

  progress.set('api: starting');
  const config = configSchema.parse({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent', LOUPE_INLINE_WORKERS: 'false' });
  const runtime = await createRuntime(config, createLogger('silent'));
  const server = await listen(runtime, '127.0.0.1', 0);
  const { token } = await createApiToken(runtime.deps.db.sql, { name: 'bench', projectIds: [BENCH_PROJECT_ID] });
  const floor = new pg.Client({ connectionString: url });
  await floor.connect();

  const times = new Map<string, { api: number[]; ref: number[] }>(MIX.map(([l]) => [l, { api: [], ref: [] }]));
  let sample: { overall: { sessions: number; started: number; confirmed: number } } | null = null;
  try {
    // Rounds alternate the candidates (api request, then its reference) so drift on a noisy machine hits both.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [label, qs, days] of MIX) {
        progress.set(round === 0 ? 'warm-up' : `round ${round}/${ROUNDS}`, label);
        let t = performance.now();
        const res = await fetch(`${server.url}/api/projects/${BENCH_PROJECT_ID}/funnel?${qs}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await res.json();
        const apiMs = performance.now() - t;
        if (res.status !== 200) throw new Error(`${label}: ${res.status} ${JSON.stringify(body)}`);
        if (label === MIX[0]![0]) sample = body;
        t = performance.now();
        await floor.query(`SELECT count(*) FROM sessions WHERE project_id = $1 AND started_at >= now() - make_interval(days => $2)`, [BENCH_PROJECT_ID, days]);
        const refMs = performance.now() - t;
        if (round > 0) {
          times.get(label)!.api.push(apiMs);
          times.get(label)!.ref.push(refMs);
        }
      }
    }
  } finally {
    await floor.end();
    await server.close();
  }
  progress.stop();

  const rows = MIX.map(([label]) => {
    const { api, ref } = times.get(label)!;
    const sorted = [...api].sort((a, b) => a - b);
    const med = median(api);
    return [label, fmtMs(med), fmtMs(percentile(sorted, 90)), fmtMs(median(ref)), fmtRatio(med / median(ref)), med <= TARGET_MS ? 'yes' : 'NO'];
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
