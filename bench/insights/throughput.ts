/**
 * Insights benchmark: how fast the analyzer judges ended sessions. Stores generated visits (visitors.ts) as the
 * workers would (sessions, page views, clicks, scroll samples, errors) in a throwaway PostgreSQL database, then times
 * the production `analyzeEndedSessions` over them, baselines included.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../../api/src/db/openDatabase.ts';
import { analyzeEndedSessions } from '../../api/src/insights/analyzeEndedSessions.ts';
import type { SessionInput } from '../../api/src/insights/types.ts';
import { createLogger } from '../../api/src/logger.ts';
import { withDatabase } from '../store/generateStore.ts';
import { fmtInt, type Progress, table } from '../ingest/util.ts';
import { emptyLabels, generateVisit, rng } from './visitors.ts';

const PROJECT = 'prj_bench_analyzer';
const iso = (ms: number) => new Date(ms).toISOString();

async function store(sql: { query(q: string, p?: unknown[]): Promise<unknown> }, sessions: readonly SessionInput[]): Promise<number> {
  const q = (text: string, rows: unknown[][]) => sql.query(text, rows);
  const cols = <T>(items: readonly T[], ...fns: Array<(x: T) => unknown>) => fns.map((f) => items.map(f));
  await q(
    `INSERT INTO sessions (project_id, id, client_session_id, visitor_id, started_at, ended_at, device_class)
     SELECT '${PROJECT}', id, id, id, s, e, 'pc' FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS u(id, s, e)`,
    cols(sessions, (s) => s.id, (s) => iso(s.startedAt), (s) => iso(Math.max(...s.pageViews.map((p) => p.lastEventAt)))),
  );
  const pvs = sessions.flatMap((s) => s.pageViews.map((p) => ({ ...p, sessionId: s.id })));
  await q(
    `INSERT INTO page_views (project_id, started_at, id, session_id, visitor_id, url, navigation, batch_id, last_event_at)
     SELECT '${PROJECT}', s, id, sid, sid, url, 'load', 0, l FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(s, id, sid, url, l)`,
    cols(pvs, (p) => iso(p.startedAt), (p) => p.id, (p) => p.sessionId, (p) => p.url, (p) => iso(p.lastEventAt)),
  );
  const clicks = sessions.flatMap((s) => s.clicks.map((c) => ({ ...c, sessionId: s.id }))).map((c, i) => ({ ...c, i }));
  await q(
    `INSERT INTO clicks (project_id, ts, batch_id, idx, session_id, page_view_id, url, x, y, page_x, page_y, selector, rel_x, rel_y, interactive, viewport_width, reaction)
     SELECT '${PROJECT}', ts, 0, i, sid, pv, '', x, y, x, y, sel, 0.5, 0.5, inter, 1280, r
       FROM unnest($1::timestamptz[], $2::int4[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::bool[], $9::text[]) AS u(ts, i, sid, pv, x, y, sel, inter, r)`,
    cols(clicks, (c) => iso(c.ts), (c) => c.i, (c) => c.sessionId, (c) => c.pageViewId, (c) => c.pageX, (c) => c.pageY, (c) => c.selector, (c) => c.interactive, (c) => c.reaction),
  );
  const scrolls = sessions.flatMap((s) => s.scrolls.map((c) => ({ ...c, sessionId: s.id }))).map((c, i) => ({ ...c, i }));
  await q(
    `INSERT INTO scrolls (project_id, ts, batch_id, idx, session_id, page_view_id, y, depth)
     SELECT '${PROJECT}', ts, 0, i, sid, pv, y, 50 FROM unnest($1::timestamptz[], $2::int4[], $3::text[], $4::text[], $5::float8[]) AS u(ts, i, sid, pv, y)`,
    cols(scrolls, (c) => iso(c.ts), (c) => c.i, (c) => c.sessionId, (c) => c.pageViewId, (c) => c.y),
  );
  const errors = sessions.flatMap((s) => s.errors.map((e) => ({ ...e, sessionId: s.id }))).map((e, i) => ({ ...e, i }));
  await q(
    `INSERT INTO js_errors (project_id, ts, batch_id, idx, session_id, page_view_id, url, kind, message)
     SELECT '${PROJECT}', ts, 0, i, sid, pv, '', 'error', m FROM unnest($1::timestamptz[], $2::int4[], $3::text[], $4::text[], $5::text[]) AS u(ts, i, sid, pv, m)`,
    cols(errors, (e) => iso(e.ts), (e) => e.i, (e) => e.sessionId, (e) => e.pageViewId, (e) => e.message),
  );
  return pvs.length + clicks.length + scrolls.length + errors.length;
}

/** Times the analyzer over `n` stored visits on a throwaway database of `adminUrl`'s server; prints a table. */
export async function runAnalyzerThroughput(adminUrl: string, n: number, progress: Progress): Promise<void> {
  const dbName = `loupe_bench_analyzer_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  try {
    const db = await openDatabase({ databaseUrl: withDatabase(adminUrl, dbName), dataDir: '', logger: createLogger('silent') });
    try {
      progress.set('analyzer throughput: storing visits');
      const r = rng(7);
      const labels = emptyLabels();
      const t0 = Date.now() - 3 * 86_400_000;
      const sessions = Array.from({ length: n }, (_, i) => generateVisit(r, `s${i}`, t0 + i * 5_000, labels, PROJECT));
      await db.sql.query(`INSERT INTO projects (id, name, ingest_key) VALUES ($1, 'bench', $2)`, [PROJECT, `pk_${dbName}`]);
      const events = await store(db.sql, sessions);
      await db.sql.query('ANALYZE');
      progress.set('analyzer throughput: judging');
      const started = performance.now();
      const judged = await analyzeEndedSessions(db.sql, { chunk: 500, maxChunks: 1_000_000 }, [PROJECT]);
      const seconds = (performance.now() - started) / 1000;
      progress.stop();
      console.log(`\nInsight analyzer throughput on PostgreSQL (one process, transactions of 500 sessions)\n`);
      console.log(table(['sessions', 'stored events', 'seconds', 'sessions/s', 'ms per session'], [[
        fmtInt(judged), fmtInt(events), seconds.toFixed(1), fmtInt(judged / seconds), (1000 * seconds / judged).toFixed(2),
      ]]));
    } finally {
      await db.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}
