/** `npx tsx bench/funnel/explain.ts`: EXPLAIN ANALYZE of the 30-day funnel statement on the bench store (run bench:funnel first). */
import pg from 'pg';
import { funnelSqlForExplain } from '../../api/src/queries/getFunnel.ts';
import { sessionFiltersQuery, sessionWhere } from '../../api/src/queries/sessionFilters.ts';
import { BENCH_PROJECT_ID, STORE_DB, withDatabase } from '../store/generateStore.ts';

const params: unknown[] = [BENCH_PROJECT_ID];
const where = sessionWhere(sessionFiltersQuery.parse(Object.fromEntries(new URLSearchParams(process.argv[2] ?? ''))), 'UTC', params);
const c = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/postgres', STORE_DB) });
await c.connect();
await c.query(`SET work_mem = '64MB'`);
await c.query('SET jit = off');
const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${funnelSqlForExplain(where)}`, params);
console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
await c.end();
