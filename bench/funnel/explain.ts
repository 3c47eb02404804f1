/**
 * `npx tsx bench/funnel/explain.ts [query string] [raw]`: EXPLAIN ANALYZE of the funnel statement on the bench store
 * (run bench:funnel first); `raw` skips the rollups.
 */
import pg from 'pg';
import { funnelRollup, funnelSqlForExplain } from '../../api/src/queries/funnelSql.ts';
import { sessionFiltersQuery, sessionWhere } from '../../api/src/queries/sessionFilters.ts';
import { BENCH_PROJECT_ID, STORE_DB, withDatabase } from '../store/generateStore.ts';

const params: unknown[] = [BENCH_PROJECT_ID];
const filters = sessionFiltersQuery.parse(Object.fromEntries(new URLSearchParams(process.argv[2] ?? '')));
const where = sessionWhere(filters, 'UTC', params);
const rollup = process.argv[3] === 'raw' ? undefined : funnelRollup(filters, where);
const statement = funnelSqlForExplain(where, params, rollup);
const c = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/postgres', STORE_DB) });
await c.connect();
await c.query(`SET work_mem = '64MB'`);
await c.query('SET jit = off');
const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement}`, params);
console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
await c.end();
