/**
 * Times a fixed mix of analytics requests (funnel, dashboard) against the bench store through the real HTTP route,
 * beside the reference floor measured in the same run: a bare `count(*)` of the sessions in the same range (what any
 * answer must at least read). Shared by `bench:funnel` and `bench:insights:latency`.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { configSchema } from '../../api/src/config.ts';
import { createLogger } from '../../api/src/logger.ts';
import { createApiToken } from '../../api/src/projects/createApiToken.ts';
import { createRuntime } from '../../api/src/runtime.ts';
import { listen } from '../../api/src/server.ts';
import type { Progress } from '../ingest/util.ts';
import { BENCH_PROJECT_ID } from './generateStore.ts';

/** One request of the mix: label, query string, days of sessions its reference counts. */
export type MixEntry = [label: string, query: string, days: number];

export interface MixTimes {
  api: number[];
  ref: number[];
  /** Rounds in which the request did not answer 200 (e.g. cut off by the statement timeout). */
  failed: number;
}

/**
 * Runs one warm-up round and `rounds` timed rounds of `mix` against `/api/projects/<bench project>/<route>`; each
 * round runs every request once, then its reference, so drift on a noisy machine hits all of them alike. Returns the
 * times by label and the first answer of the first request.
 */
export async function timeRequestMix<T>(
  storeUrl: string,
  route: string,
  mix: readonly MixEntry[],
  rounds: number,
  progress: Progress,
): Promise<{ times: Map<string, MixTimes>; sample: T | null }> {
  progress.set(`${route}: starting the api`);
  const config = configSchema.parse({ DATABASE_URL: storeUrl, PORT: '0', LOG_LEVEL: 'silent', LOUPE_INLINE_WORKERS: 'false' });
  const runtime = await createRuntime(config, createLogger('silent'));
  const server = await listen(runtime, '127.0.0.1', 0);
  const { token } = await createApiToken(runtime.deps.db.sql, { name: 'bench', projectIds: [BENCH_PROJECT_ID] });
  const floor = new pg.Client({ connectionString: storeUrl });
  await floor.connect();
  const times = new Map<string, MixTimes>(mix.map(([l]) => [l, { api: [], ref: [], failed: 0 }]));
  let sample: T | null = null;
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const [label, qs, days] of mix) {
        progress.set(round === 0 ? `${route}: warm-up` : `${route}: round ${round}/${rounds}`, label);
        let t = performance.now();
        const res = await fetch(`${server.url}/api/projects/${BENCH_PROJECT_ID}/${route}?${qs}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as T;
        const apiMs = performance.now() - t;
        if (res.status !== 200) {
          progress.log(`${label}: ${res.status} ${JSON.stringify(body)}`);
          if (round > 0) times.get(label)!.failed++;
          continue;
        }
        if (label === mix[0]![0] && sample === null) sample = body;
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
  return { times, sample };
}
