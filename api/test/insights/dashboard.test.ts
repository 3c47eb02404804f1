import assert from 'node:assert/strict';
import { EventType, type LoupeEvent } from '@loupe/contract';
import { makeBatch, newClientId } from '@loupe/contract/testing';
import { newProject, signUp, type UserClient } from '../helpers/accounts.ts';
import { eventually, postBatch, startTestApi, type TestApi } from '../helpers/testRuntime.ts';
import { MOBILE_UA } from '../funnel/scenarios.ts';

const SHOP = 'https://shop.example.com';

/** One session: page views (with an optional error on each) sent in one batch. */
async function session(api: TestApi, key: string, at: number, pages: [path: string, errors?: string[]][], o: { ua?: string; referrer?: string | null } = {}) {
  const events: LoupeEvent[] = [];
  let t = at;
  for (const [path, errors] of pages) {
    const pageViewId = newClientId();
    events.push({ type: EventType.PageView, time: (t += 1000), pageViewId, url: SHOP + path, navigation: 'load' });
    for (const message of errors ?? []) events.push({ type: EventType.Error, time: (t += 100), kind: 'error', message });
  }
  const batch = makeBatch({ projectKey: key, clientTime: Date.now(), events, ua: o.ua });
  if (o.referrer === null) delete batch.referrer;
  else if (o.referrer) batch.referrer = o.referrer;
  const res = await postBatch(api, batch);
  assert.equal(res.status, 200, await res.text());
}

describe('dashboard API: figures and filters on fixed data', function () {
  this.timeout(60_000);
  let api: TestApi;
  let admin: UserClient;
  let id: string;
  let at: number;
  const get = (qs = '') => admin.call('GET', `/api/projects/${id}/dashboard${qs}`);

  before(async () => {
    api = await startTestApi();
    admin = await signUp(api);
    const p = await newProject(admin, { domains: ['shop.example.com'], settings: { timeZone: 'Asia/Tokyo' } });
    id = p.id;
    at = Date.now() - 3 * 3600_000;
    await session(api, p.ingestKey, at, [['/'], ['/products/red'], ['/cart', ['boom']]]);
    await session(api, p.ingestKey, at, [['/products/blue', ['boom', 'kaput']]], { ua: MOBILE_UA, referrer: 'https://www.instagram.com/p/1' });
    await session(api, p.ingestKey, at, [['/'], ['/products/red']], { referrer: null });
    await eventually(async () => {
      const [r] = await api.runtime.deps.db.sql.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE processed_at IS NULL)::int AS n FROM inbox_batches WHERE project_id = $1`,
        [id],
      );
      return r?.n === 0;
    });
  });
  after(async () => api?.close());

  it('totals, top pages, sources and errors match the hand count', async () => {
    const { status, body } = await get();
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.range.timeZone, 'Asia/Tokyo');
    assert.deepEqual(
      { ...body.totals, averageDurationSeconds: undefined, averageScrollDepth: undefined },
      {
        sessions: 3, uniqueVisitors: 3, pageViews: 6, pagesPerSession: 2, errorSessionShare: 2 / 3, averageDurationSeconds: undefined,
        averageScrollDepth: undefined, averageActiveSeconds: null, judgedSessions: 0,
      },
    );
    assert.deepEqual(body.topPages, [
      { url: `${SHOP}/`, pageViews: 2, sessions: 2 },
      { url: `${SHOP}/products/red`, pageViews: 2, sessions: 2 },
      { url: `${SHOP}/cart`, pageViews: 1, sessions: 1 },
      { url: `${SHOP}/products/blue`, pageViews: 1, sessions: 1 },
    ]);
    assert.deepEqual(body.topSources, [
      { source: 'direct', sessions: 1 },
      { source: 'google.com', sessions: 1 },
      { source: 'instagram.com', sessions: 1 },
    ]);
    assert.deepEqual(body.topErrors, [
      {
        message: 'boom', count: 2, sessions: 2,
        pages: [{ url: `${SHOP}/cart`, count: 1 }, { url: `${SHOP}/products/blue`, count: 1 }],
        browsers: [{ browser: 'Chrome', count: 1 }, { browser: 'Mobile Safari', count: 1 }],
      },
      { message: 'kaput', count: 1, sessions: 1, pages: [{ url: `${SHOP}/products/blue`, count: 1 }], browsers: [{ browser: 'Mobile Safari', count: 1 }] },
    ]);
  });

  it('counts days in the project time zone, every day of the range present', async () => {
    const { body } = await get();
    assert.equal(body.trend.length, 30);
    const tokyoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(at));
    const busy = body.trend.filter((d: { sessions: number }) => d.sessions > 0);
    assert.deepEqual(busy, [{ day: tokyoDay, sessions: 3, uniqueVisitors: 3, pageViews: 6 }]);
  });

  it('filters by URL (contains, exact, RE2 regex), device and referrer', async () => {
    const sessions = async (qs: string) => {
      const r = await get(qs);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.totals.sessions;
    };
    assert.equal(await sessions('?url=products/red'), 2);
    assert.equal(await sessions(`?url=${encodeURIComponent(`${SHOP}/cart`)}&urlMatch=exact`), 1);
    assert.equal(await sessions(`?url=${encodeURIComponent('/products/(red|blue)$')}&urlMatch=regex`), 3);
    assert.equal(await sessions(`?url=${encodeURIComponent('(?i)/CART$')}&urlMatch=regex`), 1);
    assert.equal(await sessions('?url=nothing-here&urlMatch=regex'), 0);
    assert.equal(await sessions('?device=mobile'), 1);
    assert.equal(await sessions('?referrer=instagram'), 1);
  });

  it('answers 400 naming the problem for a bad regex, an unknown match kind or an inverted range', async () => {
    const bad = await get(`?url=${encodeURIComponent('(unclosed')}&urlMatch=regex`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'url');
    assert.match(bad.body.message, /RE2/);
    // a pattern that makes backtracking engines explode is linear in RE2
    const evil = await get(`?url=${encodeURIComponent('(a+)+$')}&urlMatch=regex`);
    assert.equal(evil.status, 200);
    assert.equal((await get('?url=x&urlMatch=glob')).status, 400);
    assert.equal((await get('?from=2026-02-02&to=2026-02-01')).status, 400);
  });
});
