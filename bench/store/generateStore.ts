/**
 * A synthetic store for the analytics benchmarks (funnel now, insights next): sessions and checkout events written
 * with set-based SQL (`generate_series`), deterministic (`setseed`), in a database of its own that is kept between
 * runs and rebuilt only when the spec changes. Shares nothing with the ingest path on purpose: this measures reads.
 */
import pg from 'pg';
import { openDatabase } from '../../api/src/db/openDatabase.ts';
import { createLogger } from '../../api/src/logger.ts';
import type { Progress } from '../ingest/util.ts';
import { fillAllEvents, URL_FUNCTION_SQL } from './generateEvents.ts';

export interface StoreSpec {
  sessions: number;
  checkouts: number;
  days: number;
}

export const DEFAULT_SPEC: StoreSpec = { sessions: 1_000_000, checkouts: 200_000, days: 30 };
export const BENCH_PROJECT_ID = 'prj_bench_store';
const SPEC_VERSION = 4;
/** The store's database; named after the spec version so branches with different generators never rebuild each other's. */
export const STORE_DB = `loupe_bench_store_v${SPEC_VERSION}`;

export const withDatabase = (url: string, db: string): string => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

/** Creates (once) and migrates the store database; fills it unless it already holds this spec. Returns its URL. */
export async function ensureStore(adminUrl: string, dbName: string, spec: StoreSpec, progress: Progress): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = withDatabase(adminUrl, dbName);

  progress.set('store: migrating');
  const db = await openDatabase({ databaseUrl: url, dataDir: '', logger: createLogger('silent') });
  await db.close();

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`CREATE TABLE IF NOT EXISTS bench_store_meta (spec text PRIMARY KEY)`);
    const key = JSON.stringify({ v: SPEC_VERSION, ...spec });
    const have = await c.query('SELECT 1 FROM bench_store_meta WHERE spec = $1', [key]);
    if (have.rowCount) {
      progress.log(`store: reusing ${spec.sessions.toLocaleString('en-US')} sessions / ${spec.checkouts.toLocaleString('en-US')} checkouts in ${dbName}`);
      return url;
    }
    // The rollup triggers would judge each generated session row by row, before its page views exist: off while
    // filling, then one set-based rebuild.
    await c.query('ALTER TABLE sessions DISABLE TRIGGER USER');
    try {
      await fill(c, spec, progress);
    } finally {
      await c.query('ALTER TABLE sessions ENABLE TRIGGER USER');
    }
    progress.set('store: rollups');
    await c.query('SELECT loupe_rebuild_rollups($1)', [BENCH_PROJECT_ID]);
    await c.query('VACUUM ANALYZE session_rollups, page_rollups, error_rollups, visitor_days, visitor_rollups');
    await c.query('DELETE FROM bench_store_meta');
    await c.query('INSERT INTO bench_store_meta (spec) VALUES ($1)', [key]);
    return url;
  } finally {
    await c.end();
  }
}

async function fill(c: pg.Client, spec: StoreSpec, progress: Progress): Promise<void> {
  const t0 = Date.now();
  progress.set('store: clearing');
  for (const t of ['checkouts', 'checkout_events', 'page_views', 'clicks', 'js_errors', 'custom_tags', 'sessions', 'memberships', 'api_token_projects', 'projects']) {
    await c.query(`DELETE FROM ${t} WHERE project_id = $1`.replace('project_id', t === 'projects' ? 'id' : 'project_id'), [BENCH_PROJECT_ID]);
  }
  await c.query(
    `INSERT INTO projects (id, name, ingest_key, settings, domains) VALUES ($1, 'Bench store', 'pk_bench_store_key', '{}', ARRAY['shop.example.com'])`,
    [BENCH_PROJECT_ID],
  );
  await c.query(URL_FUNCTION_SQL);
  await c.query('SELECT setseed(0.42)');
  // Sessions in slices, so the progress line moves and no single statement holds gigabytes of WAL.
  const slice = 100_000;
  const every = Math.max(1, Math.floor(spec.sessions / spec.checkouts));
  for (let from = 1; from <= spec.sessions; from += slice) {
    const to = Math.min(spec.sessions, from + slice - 1);
    progress.set('store: sessions', `${(to / spec.sessions * 100).toFixed(0)} % of ${spec.sessions.toLocaleString('en-US')}`);
    await c.query(
      `INSERT INTO sessions (project_id, id, client_session_id, visitor_id, started_at, ended_at, duration_ms, device_class,
                             browser, os, entry_url, exit_url, referrer, page_count, click_count, error_count, max_scroll_depth,
                             tags, active_ms, rage_clicks, dead_clicks, error_clicks, excessive_scrolls, quick_backs, analyzed_at)
       SELECT $1, 'bs' || g, 'bs' || g, 'bv' || (g % ${Math.floor(spec.sessions * 0.6)}), st, st + dur, extract(epoch FROM dur)::int * 1000,
              (CASE WHEN r1 < 0.55 THEN 'mobile' WHEN r1 < 0.9 THEN 'pc' ELSE 'tablet' END)::device_class,
              CASE WHEN r2 < 0.6 THEN 'Chrome' WHEN r2 < 0.85 THEN 'Safari' WHEN r2 < 0.95 THEN 'Firefox' ELSE 'Edge' END,
              CASE WHEN r1 < 0.3 THEN 'iOS' WHEN r1 < 0.55 THEN 'Android' WHEN r1 < 0.85 THEN 'Windows' ELSE 'Mac OS' END,
              bench_url(g, 0), bench_url(g, pc - 1),
              CASE WHEN r3 < 0.4 THEN 'https://www.google.com/' WHEN r3 < 0.55 THEN 'https://www.instagram.com/'
                   WHEN r3 < 0.65 THEN 'https://www.facebook.com/' ELSE NULL END,
              pc, (r3 * 8)::int, CASE WHEN r4 < 0.04 THEN 1 + (r5 * 2)::int ELSE 0 END, r1,
              CASE WHEN r3 < 0.2 THEN '{"plan":"vip"}'::jsonb ELSE '{}'::jsonb END
                || CASE WHEN r6 < 0.25 THEN '{"ab":"A"}'::jsonb WHEN r6 < 0.5 THEN '{"ab":"B"}'::jsonb ELSE '{}'::jsonb END,
              (extract(epoch FROM dur) * 1000 * (0.3 + 0.5 * r5))::int,
              -- Insight rates of a typical store: frustration is rare, and more frequent on mobile.
              CASE WHEN r7 < 0.03 + 0.02 * (r1 < 0.55)::int THEN 1 + (r5 * 2)::int ELSE 0 END,
              CASE WHEN r8 < 0.08 THEN 1 + (r6 * 3)::int ELSE 0 END,
              CASE WHEN r4 < 0.01 THEN 1 ELSE 0 END,
              CASE WHEN r7 > 0.96 THEN 1 ELSE 0 END,
              CASE WHEN r8 > 0.94 AND pc > 1 THEN 1 ELSE 0 END,
              st + dur + interval '31 minutes'
         FROM (SELECT g, random() AS r1, r2, 1 + (r2 * 8)::int AS pc, random() AS r3, random() AS r4, random() AS r5,
                      random() AS r6, random() AS r7, random() AS r8,
                      now() - interval '2 hours' - random() * make_interval(days => ${spec.days}) AS st,
                      make_interval(secs => 20 + random() * 1200) AS dur
                 FROM (SELECT g, random() AS r2 FROM generate_series($2::int, $3::int) g) y) x`,
      [BENCH_PROJECT_ID, from, to],
    );
  }
  await fillAllEvents(c, BENCH_PROJECT_ID, spec.sessions, progress);
  progress.set('store: checkout events');
  // Every `every`-th session checks out; how far it gets is drawn once: 40 % stop at contact, then shipping,
  // payment, 3 % pay express; 35 % confirm. Steps are a few seconds to minutes apart.
  await c.query(
    `INSERT INTO checkout_events (project_id, ts, batch_id, idx, session_id, visitor_id, source, step, token, value_minor, currency)
     SELECT $1, s.started_at + make_interval(secs => 10 + k.i * (15 + r * 120)), g, k.i, s.id, s.visitor_id, 'tracker', k.step,
            'ck' || g, CASE WHEN k.step = 'confirmed' THEN (1000 + r * 19000)::bigint END,
            CASE WHEN k.step = 'confirmed' THEN CASE WHEN r < 0.8 THEN 'EUR' ELSE 'USD' END END
       FROM (SELECT g, random() AS reach, random() AS r FROM generate_series(1, $2::int) g) x
       JOIN sessions s ON s.project_id = $1 AND s.id = 'bs' || (x.g * $3)
       CROSS JOIN LATERAL (VALUES (0, 'started'), (1, 'shipping'), (2, 'payment'), (3, 'confirmed')) AS k(i, step)
      WHERE (k.i = 0)
         OR (x.reach >= 0.03 AND k.i = 1 AND x.reach >= 0.40)
         OR (x.reach >= 0.03 AND k.i = 2 AND x.reach >= 0.55)
         OR (k.i = 3 AND (x.reach < 0.03 OR x.reach >= 0.65))`,
    [BENCH_PROJECT_ID, spec.checkouts, every],
  );
  progress.set('store: session checkout state');
  // What the workers keep on each session row as they process checkout events (see api/src/workers/buildRows.ts).
  await c.query(
    `UPDATE sessions s SET checkout_mask = e.mask, checkout_at = e.t1, checkout_shipping_at = e.t2,
            checkout_payment_at = e.t3, checkout_confirmed_at = e.t5
       FROM (SELECT session_id,
                    bit_or(CASE step WHEN 'started' THEN 1 WHEN 'contact' THEN 1 WHEN 'shipping' THEN 2 WHEN 'payment' THEN 4
                                     WHEN 'other' THEN 8 WHEN 'confirmed' THEN 16 ELSE 0 END) AS mask,
                    min(ts) AS t1, min(ts) FILTER (WHERE step IN ('shipping', 'payment', 'confirmed')) AS t2,
                    min(ts) FILTER (WHERE step IN ('payment', 'confirmed')) AS t3, min(ts) FILTER (WHERE step = 'confirmed') AS t5
               FROM checkout_events WHERE project_id = $1 GROUP BY session_id) e
      WHERE s.project_id = $1 AND s.id = e.session_id`,
    [BENCH_PROJECT_ID],
  );
  progress.set('store: checkouts');
  await c.query(
    `INSERT INTO checkouts (project_id, key, session_id, visitor_id, first_at, last_at, mask, confirmed_at, confirmed_session_id, value_minor, currency)
     SELECT project_id, token, min(session_id), min(visitor_id), min(ts), max(ts),
            bit_or(CASE step WHEN 'started' THEN 1 WHEN 'contact' THEN 1 WHEN 'shipping' THEN 2 WHEN 'payment' THEN 4
                             WHEN 'other' THEN 8 WHEN 'confirmed' THEN 16 ELSE 0 END),
            min(ts) FILTER (WHERE step = 'confirmed'), min(session_id) FILTER (WHERE step = 'confirmed'),
            max(value_minor) FILTER (WHERE step = 'confirmed'), max(currency) FILTER (WHERE step = 'confirmed')
       FROM checkout_events WHERE project_id = $1 GROUP BY project_id, token`,
    [BENCH_PROJECT_ID],
  );
  progress.set('store: analyze');
  for (const t of ['sessions', 'page_views', 'clicks', 'js_errors', 'custom_tags']) {
    progress.set('store: vacuum analyze', t);
    await c.query(`VACUUM ANALYZE ${t}`);
  }
  await c.query('ANALYZE checkout_events');
  await c.query('ANALYZE checkouts');
  const [{ n }] = (await c.query<{ n: string }>('SELECT count(*) AS n FROM checkout_events WHERE project_id = $1', [BENCH_PROJECT_ID])).rows as [{ n: string }];
  progress.log(`store: ${spec.sessions.toLocaleString('en-US')} sessions, ${spec.checkouts.toLocaleString('en-US')} checkouts (${Number(n).toLocaleString('en-US')} events) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
