import assert from 'node:assert/strict';
import { EventType, type LoupeEvent } from '@loupe/contract';
import { makeBatch, newClientId, seededRandom } from '@loupe/contract/testing';
import { analyzeEndedSessions } from '../../src/insights/analyzeEndedSessions.ts';
import { runPrivacyJob } from '../../src/privacy/runPrivacyJob.ts';
import { compactRollups } from '../../src/queries/compactRollups.ts';
import { createPrivacyJob } from '../../src/queries/createPrivacyJob.ts';
import { getDashboard, type DashboardView } from '../../src/queries/getDashboard.ts';
import { getFunnel } from '../../src/queries/getFunnel.ts';
import { rollupSlice } from '../../src/queries/rollupSlice.ts';
import { sessionFiltersQuery } from '../../src/queries/sessionFilters.ts';
import { updateProjectSettings } from '../../src/queries/updateProjectSettings.ts';
import { MOBILE_UA } from '../funnel/scenarios.ts';
import { makeProject, mode, postBatch, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';
import { privacyContext } from '../privacy/seed.ts';

const SHOP = 'https://shop.example.com';
const DAY = 86_400_000;
const TABLET_UA = 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const UAS = [undefined, MOBILE_UA, TABLET_UA];
const REFERRERS = ['https://www.google.com/search?q=x', 'https://instagram.com/p/1', null, 'https://news.example.org:8080/a'];
const PATHS = ['/', '/products/red', '/products/blue', '/cart', '/checkout'];

interface Sent { visitorId: string; sessionId: string }

/**
 * Dashboard figures read through the rollups must equal the raw scan's, whatever happened to the sessions: judged or
 * not, late batches, erasure, compaction, a time-zone change. Exact equality for counts; floats to 1e-9.
 */
describe(`dashboard rollups equal the raw answer (${mode})`, function () {
  this.timeout(120_000);
  let api: TestApi;
  let project: { id: string; ingestKey: string };
  const sent: Sent[] = [];
  const rnd = seededRandom(11);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const visitors = Array.from({ length: 7 }, () => newClientId());

  /** One session `daysAgo` days back: a few page views, maybe errors, sent as one batch (or as `seq` of an existing one). */
  async function send(daysAgo: number, o: Partial<Sent> & { seq?: number } = {}): Promise<Sent> {
    const visitorId = o.visitorId ?? pick(visitors);
    const sessionId = o.sessionId ?? newClientId();
    const events: LoupeEvent[] = [];
    let t = Date.now() - daysAgo * DAY - Math.floor(rnd() * 6 * 3600_000);
    for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++) {
      const pageViewId = newClientId();
      events.push({ type: EventType.PageView, time: (t += 20_000), pageViewId, url: SHOP + pick(PATHS), navigation: 'load' });
      if (rnd() < 0.3) events.push({ type: EventType.Error, time: (t += 500), kind: 'error', message: pick(['boom', 'kaput', 'undefined is not a function']) });
      if (rnd() < 0.3) events.push({ type: EventType.Tag, time: (t += 100), key: 'plan', value: pick(['vip', 'basic']) });
      if (rnd() < 0.2) events.push({ type: EventType.Tag, time: (t += 100), key: 'ab', value: pick([['A'], ['A', 'B'], 'B']) });
      if (rnd() < 0.2) events.push({ type: EventType.Checkout, time: (t += 100), step: pick(['started', 'shipping', 'payment', 'confirmed']), token: `t-${sessionId}` });
    }
    const batch = makeBatch({ projectKey: project.ingestKey, visitorId, sessionId, seq: o.seq ?? 0, clientTime: Date.now(), events, ua: pick(UAS) });
    const ref = pick(REFERRERS);
    if (ref === null) delete batch.referrer;
    else batch.referrer = ref;
    const res = await postBatch(api, batch);
    assert.equal(res.status, 200, await res.text());
    return { visitorId, sessionId };
  }

  const sql = () => api.runtime.deps.db.sql;
  const judge = () => analyzeEndedSessions(sql(), { idleMs: 0 }, [project.id]);

  const QUERIES = [
    '', 'device=mobile', 'device=pc', 'device=tablet', 'from=DAY-8&to=DAY-3', 'from=DAY-5&to=DAY-5&device=mobile', 'from=DAY-12&to=DAY-0',
    'tag=plan:vip', 'tag=ab:A', 'tag=ab:B&from=DAY-6&to=DAY-0', 'tag=nope:x',
    'browser=Chrome', 'browser=Mobile%20Safari&from=DAY-6&to=DAY-1', 'os=iOS', 'source=google.com', 'source=direct',
    'insight=js_error', 'insight=rage_click',
  ];
  /** Funnel totals come from the rollups for source filters as well. */
  const FUNNEL_QUERIES = [...QUERIES, 'source=direct&device=pc', 'browser=Chrome&device=pc&source=news.example.org', 'tag=plan:vip&device=mobile'];

  /** Every query through the rollups and raw, dashboard and funnel: equal answers (and the rollups answer these filters). */
  async function assertSameAnswers(what: string): Promise<void> {
    const tz = (await sql().query<{ tz: string }>(`SELECT coalesce(settings->>'timeZone', 'UTC') AS tz FROM projects WHERE id = $1`, [project.id]))[0]!.tz;
    const parse = (q: string) => {
      const local = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(Date.now() - offset * DAY));
      const qs = q.replace(/DAY-(\d+)/g, (_, n: string) => local(Number(n)));
      return { qs, filters: sessionFiltersQuery.parse(Object.fromEntries(new URLSearchParams(qs))) };
    };
    for (const q of QUERIES) {
      const { qs, filters } = parse(q);
      assert.ok(rollupSlice(filters), qs);
      const viaRollups = await getDashboard(sql(), project.id, tz, filters);
      const raw = await getDashboard(sql(), project.id, tz, filters, [], new Date(), 'raw');
      assertClose(viaRollups, raw, `${what}: ${qs || 'no filter'}`);
    }
    for (const q of FUNNEL_QUERIES) {
      const { qs, filters } = parse(q);
      assert.ok(rollupSlice(filters, true), qs);
      const viaRollups = await getFunnel(sql(), project.id, tz, filters);
      const raw = await getFunnel(sql(), project.id, tz, filters, [], new Date(), 'raw');
      assertClose(viaRollups, raw, `${what}: funnel ${qs || 'no filter'}`);
    }
  }

  before(async () => {
    api = await startTestApi();
    project = await makeProject(api, { timeZone: 'America/New_York' });
    // 40 sessions over 12 days (across the US daylight-saving change when run in early November), 7 visitors.
    for (let i = 0; i < 40; i++) sent.push(await send(Math.floor(rnd() * 12)));
    await waitProcessed(api, project.id);
  });
  after(async () => api?.close());

  it('all sessions unjudged: the raw part alone', async () => {
    const [r] = await sql().query<{ n: number }>('SELECT count(*)::int AS n FROM session_rollups WHERE project_id = $1', [project.id]);
    assert.equal(r!.n, 0);
    await assertSameAnswers('unjudged');
  });

  it('judged sessions come from the rollups, fresh ones raw', async () => {
    assert.equal(await judge(), 40);
    const [r] = await sql().query<{ n: number }>("SELECT coalesce(sum(sessions), 0)::int AS n FROM session_rollups WHERE project_id = $1 AND segment = ''", [project.id]);
    assert.equal(r!.n, 40, 'every judged session is in the rollups');
    for (let i = 0; i < 5; i++) sent.push(await send(0)); // today, not judged yet
    await waitProcessed(api, project.id);
    const dash: DashboardView = await getDashboard(sql(), project.id, 'America/New_York', sessionFiltersQuery.parse({}));
    assert.equal(dash.totals.sessions, 45);
    assert.equal(dash.totals.judgedSessions, 40);
    // The segment filters below compare non-empty answers.
    for (const q of [{ browser: 'Chrome' }, { source: 'google.com' }, { insight: 'js_error' }, { tag: 'plan:vip' }]) {
      const d = await getDashboard(sql(), project.id, 'America/New_York', sessionFiltersQuery.parse(q));
      assert.ok(d.totals.judgedSessions > 0 && d.totals.judgedSessions < 40, `${JSON.stringify(q)}: ${d.totals.judgedSessions} judged sessions`);
    }
    await assertSameAnswers('judged + fresh');
  });

  it('a late batch of a judged session takes it out of the rollups, events included; judging puts it back', async () => {
    for (const s of sent.slice(0, 6)) await send(Math.floor(rnd() * 3), { ...s, seq: 7 });
    await waitProcessed(api, project.id);
    await assertSameAnswers('late batches');
    await judge();
    await assertSameAnswers('re-judged');
  });

  it('erasing a visitor removes their sessions from the rollups', async () => {
    const job = (await createPrivacyJob(sql(), { projectId: project.id, kind: 'erase_visitor', params: { visitorId: visitors[0]! } }))!;
    assert.equal(await runPrivacyJob(privacyContext(api), job.id), true);
    const [v] = await sql().query<{ n: number }>('SELECT count(*)::int AS n FROM visitor_days WHERE project_id = $1 AND visitor_id = $2', [project.id, visitors[0]]);
    assert.equal(v!.n, 0);
    await assertSameAnswers('after erasure');
  });

  it('compaction merges deltas without changing an answer', async () => {
    const count = async () => (await sql().query<{ n: number }>('SELECT count(*)::int AS n FROM page_rollups WHERE project_id = $1', [project.id]))[0]!.n;
    const before = await count();
    await compactRollups(sql(), project.id, null);
    assert.ok((await count()) < before, 'fewer rows after compaction');
    await assertSameAnswers('compacted');
  });

  it('two analyzers at once, judging sessions of the same visitors, neither deadlocks nor miscounts', async () => {
    // 300 ended sessions of 10 visitors (with visitor rows, which the triggers lock), over 5 days.
    await sql().query(
      `INSERT INTO visitors (project_id, id, first_seen_at, last_seen_at)
       SELECT $1, 'cv-' || v, now() - interval '6 days', now() - interval '1 hour' FROM generate_series(0, 9) v`,
      [project.id],
    );
    await sql().query(
      `INSERT INTO sessions (project_id, id, client_session_id, visitor_id, started_at, ended_at, device_class, page_count)
       SELECT $1, 'cs-' || i, 'cs-' || i, 'cv-' || (i % 10), now() - (i % 5) * interval '1 day' - interval '2 hours',
              now() - (i % 5) * interval '1 day' - interval '1 hour', (ARRAY['pc', 'mobile', 'tablet'])[1 + i % 3]::device_class, 1
         FROM generate_series(1, 300) i`,
      [project.id],
    );
    const results = await Promise.allSettled([0, 1].map(() => analyzeEndedSessions(sql(), { idleMs: 0, chunk: 7 }, [project.id])));
    for (const r of results) assert.equal(r.status, 'fulfilled', r.status === 'rejected' ? String(r.reason) : '');
    const judged = results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
    assert.ok(judged >= 300, `judged ${judged}`);
    await assertSameAnswers('two analyzers');
  });

  it('incremental rollups equal a rebuild from scratch; a time-zone change re-buckets them', async () => {
    const snapshot = async () =>
      sql().query(
        `SELECT 's' AS t, day::text, device::text AS k1, source AS k2, sum(sessions)::int AS n, sum(page_views)::int AS m FROM session_rollups WHERE project_id = $1 GROUP BY 1, 2, 3, 4 HAVING sum(sessions) <> 0
         UNION ALL SELECT 'p', day::text, device::text, url, sum(sessions)::int, sum(page_views)::int FROM page_rollups WHERE project_id = $1 GROUP BY 1, 2, 3, 4 HAVING sum(sessions) <> 0
         UNION ALL SELECT 'e', day::text, browser || message, url, sum(sessions)::int, sum(errors)::int FROM error_rollups WHERE project_id = $1 GROUP BY 1, 2, 3, 4 HAVING sum(errors) <> 0
         UNION ALL SELECT 'v', day::text, scope, prev_day::text, sum(visitors)::int, 0 FROM visitor_rollups WHERE project_id = $1 GROUP BY 1, 2, 3, 4 HAVING sum(visitors) <> 0
         UNION ALL SELECT 'd', day::text, scope, visitor_id, sessions, 0 FROM visitor_days WHERE project_id = $1
         ORDER BY 1, 2, 3, 4`,
        [project.id],
      );
    const incremental = await snapshot();
    await sql().query('SELECT loupe_rebuild_rollups($1)', [project.id]);
    assert.deepEqual(await snapshot(), incremental);
    const zone = zoneWithMidnightAt(Date.now() - 3 * 3600_000, 'America/New_York');
    await updateProjectSettings(api.runtime.deps.db.prisma, project.id, { timeZone: zone });
    assert.notDeepEqual(await snapshot(), incremental, `days moved with the zone (${zone})`);
    await assertSameAnswers(zone);
  });
});

/**
 * A fixed-offset zone whose local midnight falls in the hour of `at` (2 hours later if that is the offset `current`
 * has then). `send` spreads each day's sessions over the 6 hours before now, so with `at` 3 hours back some of them
 * change day whatever the hour the test runs (a fixed zone such as Asia/Kolkata moved none when the test ran
 * between 06:00 and 18:30 UTC).
 */
function zoneWithMidnightAt(at: number, current: string): string {
  const hourIn = (zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(at);
  const h = new Date(at).getUTCHours();
  let east = h <= 12 ? -h : 24 - h;
  const name = () => `Etc/GMT${east > 0 ? '-' : '+'}${Math.abs(east)}`;
  if (hourIn(name()) === hourIn(current)) east += 2;
  return name();
}

function assertClose(a: object, b: object, what: string): void {
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (typeof x === 'number' && typeof y === 'number' && !Number.isInteger(x + y)) {
      assert.ok(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)), `${what} ${path}: ${x} ≠ ${y}`);
    } else if (x && y && typeof x === 'object' && typeof y === 'object') {
      assert.deepEqual(Object.keys(x), Object.keys(y), `${what} ${path}`);
      for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
    } else assert.deepEqual(x, y, `${what} ${path}`);
  };
  walk(a, b, '');
}
