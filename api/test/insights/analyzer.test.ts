import assert from 'node:assert/strict';
import { EventType, type LoupeEvent } from '@loupe/contract';
import { makeBatch, newClientId } from '@loupe/contract/testing';
import { analyzeEndedSessions } from '../../src/insights/analyzeEndedSessions.ts';
import { claimSessionsToAnalyze } from '../../src/queries/claimSessionsToAnalyze.ts';
import { listAnalysisInputs } from '../../src/queries/listAnalysisInputs.ts';
import { newProject, signUp, type UserClient } from '../helpers/accounts.ts';
import { eventually, postBatch, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';

const SHOP = 'https://shop.example.com';
const HOUR = 3600_000;

/** Builds one visit's events: `page()` starts a page view, the others add events `dt` ms after the previous one. */
class Visit {
  readonly events: LoupeEvent[] = [];
  readonly visitorId = newClientId();
  readonly sessionId = newClientId();
  private pageViewId = newClientId();
  private seq = 0;
  constructor(private t: number) {}
  page(path: string, dt = 1000): this {
    this.pageViewId = newClientId();
    this.events.push({ type: EventType.PageView, time: (this.t += dt), pageViewId: this.pageViewId, url: SHOP + path, navigation: 'load' });
    return this;
  }
  click(reaction: 'none' | 'mutation' | 'navigation', dt = 200, x = 300): this {
    this.events.push({
      type: EventType.Click, time: (this.t += dt), x, y: 400, pageX: x, pageY: 900, selector: 'main > button.add', relX: 0.5, relY: 0.5,
      interactive: true, reaction,
    });
    return this;
  }
  scroll(y: number, dt = 400): this {
    this.events.push({ type: EventType.Scroll, time: (this.t += dt), y, depth: 50 });
    return this;
  }
  error(message: string, dt = 100): this {
    this.events.push({ type: EventType.Error, time: (this.t += dt), kind: 'error', message });
    return this;
  }
  async send(api: TestApi, key: string): Promise<void> {
    // Later batches of a page carry its page view id in the envelope, as the tracker's do.
    const batch = makeBatch({
      projectKey: key, visitorId: this.visitorId, sessionId: this.sessionId, pageViewId: this.pageViewId, seq: this.seq++, clientTime: Date.now(),
      events: this.events,
    });
    const res = await postBatch(api, batch);
    assert.equal(res.status, 200, await res.text());
    this.events.length = 0;
  }
}

describe('insight analyzer: judging ended sessions end to end', function () {
  this.timeout(90_000);
  let api: TestApi;
  let admin: UserClient;
  let project: { id: string; ingestKey: string };
  const visits: Record<string, Visit> = {};
  const sql = () => api.runtime.deps.db.sql;
  const sessionOf = async (v: Visit) => {
    const [row] = await sql().query<{ id: string; rage_clicks: number; dead_clicks: number; error_clicks: number; excessive_scrolls: number; quick_backs: number; analyzed: boolean }>(
      `SELECT id, rage_clicks, dead_clicks, error_clicks, excessive_scrolls, quick_backs, analyzed_at IS NOT NULL AS analyzed
         FROM sessions WHERE project_id = $1 AND client_session_id = $2`,
      [project.id, v.sessionId],
    );
    assert.ok(row, 'session stored');
    return row;
  };
  const counts = async (v: Visit) => {
    const s = await sessionOf(v);
    return [s.rage_clicks, s.dead_clicks, s.error_clicks, s.excessive_scrolls, s.quick_backs];
  };

  before(async () => {
    api = await startTestApi();
    admin = await signUp(api);
    project = await newProject(admin, { domains: ['shop.example.com'] });
    const t0 = Date.now() - 2 * HOUR;
    visits.rage = new Visit(t0).page('/product').click('none', 3000).click('none').click('none').click('none');
    visits.stepper = new Visit(t0).page('/product').click('mutation', 3000).click('mutation').click('mutation').click('mutation').click('mutation');
    visits.quickBack = new Visit(t0).page('/category').page('/product/wrong', 20_000).page('/category', 2000).page('/product/right', 30_000);
    visits.errorClick = new Visit(t0).page('/cart').click('mutation', 5000).error('TypeError: total is undefined');
    visits.scroller = new Visit(t0).page('/size-guide');
    for (let i = 0; i < 8; i++) visits.scroller.scroll(i % 2 === 0 ? 2400 : 200);
    visits.calm = new Visit(t0).page('/').scroll(600, 5000).scroll(1200, 5000).page('/product', 10_000).click('navigation', 8000);
    // Still going: its last event is a minute old, so it has not ended and must wait.
    visits.live = new Visit(Date.now() - 60_000).page('/').click('none', 100).click('none').click('none');
    for (const v of Object.values(visits)) await v.send(api, project.ingestKey);
    await waitProcessed(api, project.id);
  });
  after(async () => api?.close());

  it('judges each ended session by the documented rules and leaves live ones alone', async () => {
    const judged = await analyzeEndedSessions(sql(), {}, [project.id]);
    assert.equal(judged, 6);
    // [rage, dead, error clicks, excessive scrolls, quick backs]
    assert.deepEqual(await counts(visits.rage!), [1, 4, 0, 0, 0]);
    assert.deepEqual(await counts(visits.stepper!), [0, 0, 0, 0, 0]);
    assert.deepEqual(await counts(visits.quickBack!), [0, 0, 0, 0, 1]);
    assert.deepEqual(await counts(visits.errorClick!), [0, 0, 1, 0, 0]);
    assert.deepEqual(await counts(visits.scroller!), [0, 0, 0, 1, 0]);
    assert.deepEqual(await counts(visits.calm!), [0, 0, 0, 0, 0]);
    assert.equal((await sessionOf(visits.live!)).analyzed, false);
  });

  it('serves the verdicts: dashboard shares and filter, session list filter, replay markers', async () => {
    const dash = await admin.call('GET', `/api/projects/${project.id}/dashboard`);
    assert.equal(dash.status, 200, JSON.stringify(dash.body));
    assert.equal(dash.body.totals.sessions, 7);
    assert.equal(dash.body.totals.judgedSessions, 6);
    assert.deepEqual(dash.body.insightShares, { rageClick: 1 / 6, deadClick: 1 / 6, errorClick: 1 / 6, excessiveScroll: 1 / 6, quickBack: 1 / 6 });

    const rage = await admin.call('GET', `/api/projects/${project.id}/dashboard?insight=rage_click`);
    assert.equal(rage.body.totals.sessions, 1);
    const errors = await admin.call('GET', `/api/projects/${project.id}/dashboard?insight=js_error&insight=error_click`);
    assert.equal(errors.body.totals.sessions, 1);
    const bad = await admin.call('GET', `/api/projects/${project.id}/dashboard?insight=angry_click`);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /insight/);

    const list = await admin.call('GET', `/api/projects/${project.id}/sessions?insight=quick_back`);
    assert.equal(list.status, 200);
    const quick = await sessionOf(visits.quickBack!);
    assert.deepEqual(list.body.sessions.map((s: { id: string }) => s.id), [quick.id]);
    assert.equal(list.body.sessions[0].insights.quickBacks, 1);

    const rageId = (await sessionOf(visits.rage!)).id;
    const detail = await admin.call('GET', `/api/projects/${project.id}/sessions/${rageId}`);
    assert.equal(detail.status, 200);
    const markers = detail.body.insights.map((o: { kind: string; offsetMs: number; selector: string }) => [o.kind, o.offsetMs, o.selector]);
    assert.deepEqual(markers, [
      ['rage_click', 3000, 'main > button.add'],
      ['dead_click', 3000, 'main > button.add'],
      ['dead_click', 3200, 'main > button.add'],
      ['dead_click', 3400, 'main > button.add'],
      ['dead_click', 3600, 'main > button.add'],
    ]);
    assert.equal(detail.body.pageViews[0].rageClicks, 1);
  });

  it('judging again changes nothing; a late batch makes the session judged again with its new events', async () => {
    const rows = async () => (await sql().query<{ n: number }>('SELECT count(*)::int AS n FROM insights WHERE project_id = $1', [project.id]))[0]?.n;
    const before = await rows();
    await sql().query('UPDATE sessions SET analyzed_at = NULL WHERE project_id = $1', [project.id]);
    assert.equal(await analyzeEndedSessions(sql(), {}, [project.id]), 6);
    assert.equal(await rows(), before);

    const late = visits.rage!;
    late.click('none', 5000, 700).click('none', 300, 700).click('none', 300, 700);
    await late.send(api, project.ingestKey);
    await eventually(async () => !(await sessionOf(late)).analyzed, 20_000, 'late batch to reopen the session');
    await analyzeEndedSessions(sql(), {}, [project.id]);
    assert.deepEqual(await counts(late), [2, 7, 0, 0, 0]);
  });
});

describe('insight analyzer: bounded memory', function () {
  this.timeout(60_000);
  it('a claim stops at the event budget (but takes at least one session); a session is read up to a cap per event kind', async () => {
    const api = await startTestApi();
    try {
      const admin = await signUp(api);
      const p = await newProject(admin, { domains: ['shop.example.com'] });
      const t0 = Date.now() - 2 * HOUR;
      // Three ended sessions of 1 page view + 5 clicks each (6 events), ending in this order.
      const visits = [0, 1, 2].map((i) => new Visit(t0 + i * 60_000).page('/').click('none', 100).click('none').click('none').click('none').click('none'));
      for (const v of visits) await v.send(api, p.ingestKey);
      await waitProcessed(api, p.id);
      const sql = api.runtime.deps.db.sql;
      const claim = (budget: number) => sql.transaction((tx) => claimSessionsToAnalyze(tx, p.id, new Date(), 500, budget));
      assert.equal((await claim(5)).length, 1);
      assert.equal((await claim(12)).length, 2);
      assert.equal((await claim(1000)).length, 3);
      const [one] = await claim(1);
      const [input] = await sql.transaction((tx) => listAnalysisInputs(tx, p.id, [one!], 2));
      assert.equal(input!.clicks.length, 2);
      const all = (await sql.transaction((tx) => listAnalysisInputs(tx, p.id, [one!])))[0]!;
      assert.deepEqual(input!.clicks.map((c) => c.ts), all.clicks.slice(0, 2).map((c) => c.ts));
    } finally {
      await api.close();
    }
  });
});

describe('insight analyzer: scheduled in the worker runtime', function () {
  this.timeout(60_000);
  it('judges an ended session without being called', async () => {
    const api = await startTestApi({ LOUPE_INSIGHT_INTERVAL_SECONDS: '1' });
    try {
      const admin = await signUp(api);
      const p = await newProject(admin, { domains: ['shop.example.com'] });
      const v = new Visit(Date.now() - HOUR).page('/').click('none', 1000).click('none').click('none');
      await v.send(api, p.ingestKey);
      const row = await eventually(async () => {
        const [r] = await api.runtime.deps.db.sql.query<{ rage_clicks: number }>(
          'SELECT rage_clicks FROM sessions WHERE project_id = $1 AND analyzed_at IS NOT NULL', [p.id]);
        return r;
      }, 30_000, 'the scheduled analyzer');
      assert.equal(row.rage_clicks, 1);
    } finally {
      await api.close();
    }
  });
});
