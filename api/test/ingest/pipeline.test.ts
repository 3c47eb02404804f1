import assert from 'node:assert/strict';
import { EventType } from '@loupe/contract';
import { makeBatch, makeMixedEvents, newClientId } from '@loupe/contract/testing';
import { countRows, makeProject, mode, postBatch, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';

describe(`ingest pipeline end to end (${mode}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api?.close());

  it('turns accepted batches into sessions, page views and event rows', async () => {
    const project = await makeProject(api);
    const visitorId = newClientId();
    const sessionId = newClientId();
    const pageViewId = newClientId();
    // both batches are sent "now" (clientTime = t0 + 5 s), their events happened over the previous 5 s
    const t0 = Date.now() - 5_000;
    const url = 'https://shop.example.com/products/red-shoe/?utm_source=mail&variant=2&gclid=x#reviews';
    const first = makeBatch({
      projectKey: project.ingestKey, visitorId, sessionId, pageViewId, seq: 0, clientTime: t0 + 5000, url,
      events: [
        { type: EventType.PageView, time: t0, pageViewId, url, navigation: 'load', title: 'Red shoe' },
        { type: EventType.Click, time: t0 + 500, x: 10, y: 20, pageX: 10, pageY: 620, selector: 'main > button.buy', relX: 0.5, relY: 0.5, interactive: true },
        { type: EventType.Scroll, time: t0 + 800, y: 600, depth: 55 },
        { type: EventType.Tag, time: t0 + 900, key: 'plan', value: ['gold', 'eu'] },
      ],
    });
    const second = makeBatch({
      projectKey: project.ingestKey, visitorId, sessionId, pageViewId, seq: 1, clientTime: t0 + 5000, url,
      events: [
        { type: EventType.Click, time: t0 + 3000, x: 11, y: 21, pageX: 11, pageY: 621, selector: 'main > a.more', relX: 0.1, relY: 0.9, interactive: true, href: 'https://shop.example.com/more' },
        { type: EventType.Scroll, time: t0 + 3500, y: 900, depth: 80 },
        { type: EventType.Error, time: t0 + 3600, kind: 'rejection', message: 'fetch failed', source: 'https://shop.example.com/app.js', line: 1, column: 2 },
        { type: EventType.Custom, time: t0 + 3700, name: 'added_to_cart' },
        { type: EventType.Checkout, time: t0 + 4000, step: 'contact', token: 'tok-1', value: 19.99, currency: 'EUR' },
        { type: EventType.Identify, time: t0 + 4100, idHash: 'b'.repeat(64) },
      ],
    });
    for (const b of [first, second]) {
      const res = await postBatch(api, b);
      assert.equal(res.status, 200, await res.clone().text());
      assert.deepEqual(await res.json(), { stored: true });
    }
    await waitProcessed(api, project.id);

    const res = await fetch(`${api.url}/api/projects/${project.id}/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    assert.equal(res.status, 200);
    const s = await res.json();
    assert.equal(s.visitorId, visitorId);
    assert.equal(s.pageCount, 1);
    assert.equal(s.clickCount, 2);
    assert.equal(s.errorCount, 1);
    assert.equal(s.maxScrollDepth, 80);
    assert.equal(s.deviceClass, 'pc');
    assert.equal(s.browser, 'Chrome');
    assert.equal(s.os, 'Windows');
    assert.deepEqual(s.tags, { plan: ['gold', 'eu'] });
    // utm_* and gclid dropped, variant kept, fragment and trailing slash removed
    assert.equal(s.entryUrl, 'https://shop.example.com/products/red-shoe?variant=2');
    assert.equal(s.pageViews.length, 1);
    assert.equal(s.pageViews[0].maxScrollDepth, 80);
    assert.equal(s.pageViews[0].clickCount, 2);
    assert.deepEqual(s.clicks.map((c: { selector: string }) => c.selector), ['main > button.buy', 'main > a.more']);
    assert.equal(s.errors[0].message, 'fetch failed');
    assert.equal(s.customEvents[0].name, 'added_to_cart');
    assert.deepEqual(
      s.checkoutEvents.map((c: { step: string; valueMinor: string; currency: string }) => [c.step, c.valueMinor, c.currency]),
      [['contact', '1999', 'EUR']],
    );
    // 4.1 s between first and last event (plus the real gap between the two POSTs)
    assert.ok(s.durationMs >= 4100 && s.durationMs < 6100, String(s.durationMs));
    assert.equal(await countRows(api, 'custom_tags', project.id), 2);
    const [visitor] = await api.runtime.deps.db.sql.query<{ identify_hash: string }>(
      'SELECT identify_hash FROM visitors WHERE project_id = $1 AND id = $2', [project.id, visitorId]);
    assert.equal(visitor?.identify_hash, 'b'.repeat(64));
  });

  it('stores a resent batch once', async () => {
    const project = await makeProject(api);
    const batch = makeBatch({ projectKey: project.ingestKey, events: makeMixedEvents(20, Date.now(), newClientId(), 0) });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await (await postBatch(api, batch)).json());
    assert.deepEqual(answers, [{ stored: true }, { stored: true, duplicate: true }, { stored: true, duplicate: true }]);
    await waitProcessed(api, project.id);
    assert.equal(await countRows(api, 'inbox_batches', project.id), 1);
    assert.equal(await countRows(api, 'clicks', project.id), batch.events.filter((e) => e.type === 'click').length);
  });

  it('splits a session that resumes after 30 idle minutes', async () => {
    const project = await makeProject(api);
    const sessionId = newClientId();
    const visitorId = newClientId();
    const now = Date.now();
    const early = now - 45 * 60_000;
    const a = makeBatch({ projectKey: project.ingestKey, sessionId, visitorId, clientTime: early, seq: 0 });
    a.events[0]!.time = early;
    await postBatch(api, a);
    await waitProcessed(api, project.id);
    // the same tracker session id, 45 minutes later: client clock says so and the server receives it now
    const b = makeBatch({ projectKey: project.ingestKey, sessionId, visitorId, clientTime: now, seq: 0 });
    // shift receipt: the first batch is aged by rewriting its stored times to 45 minutes ago
    await api.runtime.deps.db.sql.query(
      `UPDATE sessions SET started_at = now() - interval '45 minutes', ended_at = now() - interval '45 minutes' WHERE project_id = $1`,
      [project.id],
    );
    await postBatch(api, b);
    await waitProcessed(api, project.id);
    const rows = await api.runtime.deps.db.sql.query<{ id: string }>(
      'SELECT id FROM sessions WHERE project_id = $1 ORDER BY started_at', [project.id]);
    assert.deepEqual(rows.map((r) => r.id), [sessionId, `${sessionId}.1`]);
  });
});
