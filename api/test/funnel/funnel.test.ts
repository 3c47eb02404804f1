import assert from 'node:assert/strict';
import { makeBatch } from '@loupe/contract/testing';
import { newProject, signUp, tokenClient, type Client, type Reply, type UserClient } from '../helpers/accounts.ts';
import { eventually, postBatch, startTestApi, type TestApi } from '../helpers/testRuntime.ts';
import { analyzeEndedSessions } from '../../src/insights/analyzeEndedSessions.ts';
import { funnelRollup, funnelSqlForExplain } from '../../src/queries/funnelSql.ts';
import { runAnalyticsStatement } from '../../src/queries/runAnalyticsStatement.ts';
import { sessionWhere } from '../../src/queries/sessionFilters.ts';
import { postPixel, sendScenarios, type SentScenarios } from './scenarios.ts';

async function funnel(client: Client, projectId: string, qs = ''): Promise<Reply> {
  return client.call('GET', `/api/projects/${projectId}/funnel${qs}`);
}

describe('checkout funnel: sources, semantics and figures on fixed data', function () {
  this.timeout(120_000);
  let api: TestApi;
  let admin: UserClient;
  let project: { id: string; ingestKey: string };
  let sent: SentScenarios;
  let serverIds: Record<string, string>;

  before(async () => {
    api = await startTestApi();
    admin = await signUp(api);
    project = await newProject(admin, { domains: ['shop.example.com'] });
    const events = (await admin.call('POST', '/api/tokens', { name: 'woo', projectIds: [project.id], scopes: ['events'] })).body;
    sent = await sendScenarios(api, project.ingestKey, tokenClient(api, events.token), project.id);
    await eventually(async () => {
      const [r] = await api.runtime.deps.db.sql.query<{ pending: number }>(
        `SELECT count(*) FILTER (WHERE processed_at IS NULL)::int AS pending FROM inbox_batches WHERE project_id = $1`,
        [project.id],
      );
      return r?.pending === 0;
    }, 30_000, 'inbox processed');
    const rows = await api.runtime.deps.db.sql.query<{ id: string; client_session_id: string }>(
      `SELECT id, client_session_id FROM sessions WHERE project_id = $1`,
      [project.id],
    );
    serverIds = {};
    for (const [name, clientId] of Object.entries(sent.ids)) {
      const row = rows.find((r) => r.client_session_id === clientId);
      assert.ok(row, `session ${name} stored`);
      serverIds[name] = row.id;
    }
  });
  after(async () => api?.close());

  it('counts sessions reached and abandoned at each step, express under Other, live sessions as in progress', async () => {
    const res = await funnel(admin, project.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const o = res.body.overall;
    assert.equal(o.sessions, 14);
    assert.equal(o.checkoutSessions, 13);
    assert.equal(o.express, 1, 'S9 paid without shipping or payment steps');
    assert.equal(o.started, 12);
    assert.equal(o.confirmed, 5, 'S1, S5 (after a payment retry), S6 (pixel), S7, S8b (WooCommerce server)');
    assert.equal(o.inProgress, 1, 'S12 has not ended');
    assert.equal(o.abandoned, 6);
    const steps = Object.fromEntries(o.steps.map((s: { step: string }) => [s.step, s]));
    assert.deepEqual(
      ['contact', 'shipping', 'payment', 'other', 'confirmed'].map((s) => [steps[s].reached, steps[s].abandoned]),
      [[12, 2], [9, 2], [6, 1], [1, 1], [5, 0]],
    );
    assert.equal(o.completionRate, 5 / 12);
    assert.equal(o.purchaseConversionRate, 6 / 14);
    // medians over the sessions that moved on from the step (hand-computed from the scenario offsets)
    assert.equal(steps.contact.medianSecondsInStep, 30);
    assert.ok(Math.abs(steps.shipping.medianSecondsInStep - 50) < 0.5, `shipping median ${steps.shipping.medianSecondsInStep}`);
    assert.ok(Math.abs(steps.payment.medianSecondsInStep - 50) < 0.5, `payment median ${steps.payment.medianSecondsInStep}`);
  });

  it('lists the sessions that abandoned at each step', async () => {
    const { body } = await funnel(admin, project.id);
    const sorted = (names: string[]) => names.map((n) => serverIds[n]).sort();
    assert.deepEqual([...body.abandonedSessions.contact].sort(), sorted(['S2', 'S13']));
    assert.deepEqual([...body.abandonedSessions.shipping].sort(), sorted(['S3', 'S8a']));
    assert.deepEqual(body.abandonedSessions.payment, [serverIds.S4], 'Complete order pressed, no confirmation: abandoned at payment');
    assert.deepEqual(body.abandonedSessions.other, [serverIds.S10]);
  });

  it('adds revenue exactly, per currency, once per order whatever the sources and duplicates', async () => {
    const { body } = await funnel(admin, project.id);
    assert.deepEqual(body.revenue, [
      { currency: 'EUR', orders: 4, revenue: '119.90', averageOrderValue: '29.98', revenueMinor: '11990' },
      { currency: 'JPY', orders: 1, revenue: '1500', averageOrderValue: '1500', revenueMinor: '1500' },
      { currency: 'USD', orders: 1, revenue: '100.50', averageOrderValue: '100.50', revenueMinor: '10050' },
    ]);
  });

  it('per checkout: two checkouts in one session counted apart, a checkout confirmed in a later session is recovered', async () => {
    const { body } = await funnel(admin, project.id);
    assert.deepEqual(body.checkouts, { total: 13, confirmed: 5, recovered: 1, express: 1, abandoned: 6, inProgress: 1 });
  });

  it('breaks the figures down by device and traffic source, and filters by them', async () => {
    const { body } = await funnel(admin, project.id);
    const mobile = body.byDevice.find((d: { device: string }) => d.device === 'mobile');
    assert.equal(mobile.sessions, 1);
    assert.equal(mobile.steps[0].abandoned, 1);
    assert.equal(body.byDevice.reduce((n: number, d: { sessions: number }) => n + d.sessions, 0), 14);
    const insta = body.bySource.find((s: { source: string }) => s.source === 'instagram.com');
    assert.equal(insta.sessions, 1);
    assert.equal(body.bySource.find((s: { source: string }) => s.source === 'google.com').sessions, 12);
    const filtered = await funnel(admin, project.id, '?device=mobile');
    assert.equal(filtered.body.overall.sessions, 1);
    assert.equal(filtered.body.overall.started, 1);
    const bySource = await funnel(admin, project.id, '?source=Instagram.com');
    assert.equal(bySource.body.overall.sessions, 1);
    const none = await funnel(admin, project.id, '?from=2020-01-01&to=2020-01-31');
    assert.equal(none.body.overall.sessions, 0);
    assert.equal(none.body.overall.completionRate, null);
  });

  it('every checkout began no earlier than its session, out-of-order and server events included (the funnel looks checkout sessions up by checkout_at)', async () => {
    const [r] = await api.runtime.deps.db.sql.query<{ checkouts: number; before: number }>(
      `SELECT count(*)::int AS checkouts, count(*) FILTER (WHERE checkout_at IS NULL OR checkout_at < started_at)::int AS before
         FROM sessions WHERE project_id = $1 AND checkout_mask <> 0`,
      [project.id],
    );
    assert.equal(r?.checkouts, 13, 'the checkout sessions the funnel counts');
    assert.equal(r?.before, 0);
  });

  it('every plan shape (two passes; one materialized pass; rollup totals) gives the same answer', async () => {
    // Judged sessions are in the rollups; leave one unjudged so the rollup shape reads both parts.
    await analyzeEndedSessions(api.runtime.deps.db.sql, { idleMs: 0 }, [project.id]);
    await api.runtime.deps.db.sql.query(
      'UPDATE sessions SET analyzed_at = NULL WHERE project_id = $1 AND id = (SELECT min(id) FROM sessions WHERE project_id = $1)',
      [project.id],
    );
    for (const filters of [{}, { device: 'mobile' as const }, { source: 'instagram.com' }]) {
      // Grouped rows come back in no particular order: compare each part as a sorted list.
      const run = async (narrowed: boolean, rollup: boolean) => {
        const params: unknown[] = [project.id];
        const where = sessionWhere({ urlMatch: 'contains', ...filters }, 'UTC', params);
        const statement = funnelSqlForExplain({ ...where, narrowed }, params, rollup ? funnelRollup({ urlMatch: 'contains', ...filters }, where) : undefined);
        const row = await runAnalyticsStatement<Record<string, unknown>>(api.runtime.deps.db.sql, statement, params);
        return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => JSON.stringify(x)).sort() : v]));
      };
      const one = await run(true, false);
      assert.ok(JSON.stringify(one.totals).includes('sessions'), 'the statement answered');
      assert.deepEqual(one, await run(false, false), JSON.stringify(filters));
      assert.deepEqual(one, await run(false, true), `rollups: ${JSON.stringify(filters)}`);
    }
    const [r] = await api.runtime.deps.db.sql.query<{ n: number }>('SELECT coalesce(sum(sessions), 0)::int AS n FROM session_rollups WHERE project_id = $1', [project.id]);
    assert.ok(r!.n > 0, 'the rollups hold the judged sessions');
  });

  it('refuses bad filters with 400 naming the problem', async () => {
    const inverted = await funnel(admin, project.id, '?from=2026-05-02&to=2026-05-01');
    assert.equal(inverted.status, 400);
    assert.match(inverted.body.message, /from must not be after to/);
    const badTag = await funnel(admin, project.id, '?tag=novalue');
    assert.equal(badTag.status, 400);
    assert.equal(badTag.body.field, 'tag');
    const badDevice = await funnel(admin, project.id, '?device=fridge');
    assert.equal(badDevice.status, 400);
    const long = await funnel(admin, project.id, '?from=2020-01-01&to=2026-01-01');
    assert.equal(long.status, 400);
  });

  it('stores pixel events once, in their own source, and refuses unknown or foreign keys with nothing stored', async () => {
    const rows = await api.runtime.deps.db.sql.query<{ source: string; n: number }>(
      `SELECT source, count(*)::int AS n FROM checkout_events WHERE project_id = $1 GROUP BY source ORDER BY source`,
      [project.id],
    );
    assert.deepEqual(rows, [
      { source: 'shopify', n: 5 },
      { source: 'tracker', n: 31 },
      { source: 'woocommerce', n: 2 },
    ]);
    const before = await api.runtime.deps.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox_batches`);
    const event = { id: 'e1', name: 'checkout_started', timestamp: new Date().toISOString(), data: { checkout: { token: 'x' } } };
    const unknown = await postPixel(api, { projectKey: 'pk_doesnotexist', sentAt: Date.now(), events: [event] });
    assert.equal(unknown.status, 404);
    const other = await newProject(admin, { domains: ['other-shop.example'] });
    const foreign = await postPixel(api, { projectKey: other.ingestKey, sentAt: Date.now(), events: [event] });
    assert.equal(foreign.status, 403, "the other project's key from this shop's origin");
    const malformed = await postPixel(api, { projectKey: project.ingestKey, sentAt: Date.now(), events: [{ ...event, timestamp: 'yesterday' }] });
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /events\.0\.timestamp/);
    const after = await api.runtime.deps.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox_batches`);
    assert.equal(after[0]!.n, before[0]!.n);
  });

  it('server events need a token with the events scope for that very project', async () => {
    const read = (await admin.call('POST', '/api/tokens', { name: 'r', projectIds: [project.id], scopes: ['read'] })).body;
    const body = {
      events: [{ id: 'x-1', step: 'payment_complete', token: 'tok', occurredAt: new Date().toISOString(), visitorId: 'visitor-123', sessionId: 'session-123' }],
    };
    assert.equal((await tokenClient(api, read.token).call('POST', `/api/projects/${project.id}/checkout-events`, body)).status, 403);
    const other = await newProject(admin);
    const otherEvents = (await admin.call('POST', '/api/tokens', { name: 'o', projectIds: [other.id], scopes: ['events'] })).body;
    assert.equal((await tokenClient(api, otherEvents.token).call('POST', `/api/projects/${project.id}/checkout-events`, body)).status, 404);
    const badStep = await admin.call('POST', `/api/projects/${project.id}/checkout-events`, { events: [{ ...body.events[0], step: 'refunded' }] });
    assert.equal(badStep.status, 400);
    assert.match(badStep.body.message, /order_created/);
    // a batch that only the server sends does not blank the session's pages
    const page = makeBatch({ projectKey: project.ingestKey });
    assert.equal((await postBatch(api, page)).status, 200);
  });
});
