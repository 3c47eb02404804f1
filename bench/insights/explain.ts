/**
 * `npx tsx bench/insights/explain.ts [query string] [raw]`: EXPLAIN ANALYZE of the dashboard statement on the bench
 * store (run bench:insights:latency first), e.g. `from=2026-10-30&to=2026-11-28&device=mobile`; `raw` skips the
 * rollups. URL regex filters are not resolved here (use contains or exact).
 */
import pg from 'pg';
import { dashboardStatement } from '../../api/src/queries/getDashboard.ts';
import { sessionFiltersQuery } from '../../api/src/queries/sessionFilters.ts';
import { BENCH_PROJECT_ID, STORE_DB, withDatabase } from '../store/generateStore.ts';

const filters = sessionFiltersQuery.parse(Object.fromEntries(new URLSearchParams(process.argv[2] ?? '')));
const { sql, params } = dashboardStatement(BENCH_PROJECT_ID, 'UTC', filters, [], new Date(), process.argv[3] === 'raw' ? 'raw' : 'auto');
const c = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/postgres', STORE_DB) });
await c.connect();
await c.query(`SET work_mem = '${process.env.WORK_MEM ?? '64MB'}'`);
await c.query('SET jit = off');
const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
await c.end();
