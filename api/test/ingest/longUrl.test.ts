import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EventType, LIMITS } from '@loupe/contract';
import { makeBatch, newClientId } from '@loupe/contract/testing';
import { clipUrl, MAX_STORED_URL_BYTES } from '../../src/workers/normalizeUrl.ts';
import { makeProject, mode, postBatch, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';

describe(`long page URLs (${mode})`, function () {
  this.timeout(60_000);
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api?.close());

  it('a page URL at the contract limit that no index could hold is stored clipped, with its events, at once', async () => {
    const project = await makeProject(api);
    // Incompressible path: PostgreSQL cannot shrink it under the 2,704-byte btree entry limit.
    const url = `https://shop.example.com/p/${randomBytes(3000).toString('base64url')}`.slice(0, LIMITS.maxUrlLength);
    const pageViewId = newClientId();
    const now = Date.now();
    const batch = makeBatch({
      projectKey: project.ingestKey, pageViewId, url,
      events: [
        { type: EventType.PageView, time: now - 1000, pageViewId, url, navigation: 'load' },
        { type: EventType.Click, time: now - 500, x: 1, y: 1, pageX: 1, pageY: 1, selector: 'a', relX: 0, relY: 0, interactive: true },
      ],
    });
    const res = await postBatch(api, batch);
    assert.equal(res.status, 200, await res.text());
    await waitProcessed(api, project.id);
    const sql = api.runtime.deps.db.sql;
    const [pv] = await sql.query<{ url: string }>('SELECT url FROM page_views WHERE project_id = $1', [project.id]);
    const [click] = await sql.query<{ url: string }>('SELECT url FROM clicks WHERE project_id = $1', [project.id]);
    const [inbox] = await sql.query<{ attempts: number }>('SELECT attempts FROM inbox_batches WHERE project_id = $1', [project.id]);
    assert.ok(pv && click, 'page view and click stored');
    assert.equal(Buffer.byteLength(pv.url), MAX_STORED_URL_BYTES);
    assert.ok(url.startsWith(pv.url));
    assert.equal(click.url, pv.url);
    assert.equal(inbox?.attempts, 0);
  });

  it('clips by bytes without splitting a character', () => {
    const s = `https://shop.example.com/${'é'.repeat(1500)}😀`;
    const clipped = clipUrl(s);
    assert.ok(Buffer.byteLength(clipped) <= MAX_STORED_URL_BYTES);
    assert.ok(s.startsWith(clipped));
    assert.equal(Buffer.from(clipped).toString(), clipped);
    assert.equal(clipUrl('https://shop.example.com/short'), 'https://shop.example.com/short');
  });
});
