import assert from 'node:assert/strict';
import { renderDemoPage } from '../../src/demo/page.ts';
import { ensureDemoProject } from '../../src/projects/ensureDemoProject.ts';
import { mode, startTestApi, type TestApi } from '../helpers/testRuntime.ts';
import { readyDemoProject } from './demoProject.ts';

const quietly = async (fn: () => Promise<void>): Promise<void> => {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
};

describe('demo store routes', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('without a demo project, the page says how to create one and loads no tracker', async function () {
    if (mode !== 'pglite') return this.skip(); // a shared database may hold an earlier run's demo project
    const res = await fetch(`${api.url}/demo/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /there is no “Demo store” project/);
    assert.match(html, /LOUPE_DEMO=true/);
    assert.doesNotMatch(html, /\/t\//);
  });

  it('serves the store with the demo project ingest key and nothing secret', async () => {
    const demo = await readyDemoProject(api);
    const token = /lpt_[A-Za-z0-9_-]+/.exec(demo.printed)?.[0];
    assert.ok(token, 'ensureDemoProject printed an API token');
    const res = await fetch(`${api.url}/demo/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await res.text();
    assert.ok(html.includes(`/t/${demo.ingestKey}.js`), 'the install snippet loads the project tracker');
    assert.ok(!html.includes(token), 'the API token must not reach the page');
    assert.ok(!html.includes(demo.id), 'nor the project id');
    assert.equal((html.match(/class="product"/g) ?? []).length, 6);
    for (const id of ['checkout-start', 'step-contact', 'step-shipping', 'step-payment', 'step-confirmed', 'gift-card', 'care-guide']) {
      assert.ok(html.includes(`id="${id}"`), id);
    }
  });

  it('redirects /demo to /demo/ so that relative script URLs resolve', async () => {
    const res = await fetch(`${api.url}/demo`, { redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), 'demo/');
  });

  it("serves the project's tracker with its settings inlined, cacheable, without zod", async () => {
    const demo = await readyDemoProject(api);
    const first = await fetch(`${api.url}/t/${demo.ingestKey}.js`);
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(first.headers.get('cache-control'), 'public, max-age=300, stale-while-revalidate=3600');
    const js = await first.text();
    assert.ok(js.length > 1000 && !js.includes('ZodError'));
    assert.ok(!js.includes('__LOUPE_CONFIG__'));
    const config = JSON.parse(/"key":"[^"]+"/.test(js) ? js.slice(js.indexOf('{"key"'), js.indexOf('}', js.indexOf('{"key"')) + 1) : '{}');
    assert.equal(config.key, demo.ingestKey);
    assert.equal(config.masking, 'balanced');
    assert.match(config.recorder, /\/t\/recorder\.[A-Za-z0-9_-]{12}\.js$/);
    const recorder = await fetch(config.recorder);
    assert.equal(recorder.status, 200);
    assert.equal(recorder.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await fetch(`${api.url}/t/pk_nope_nope_nope.js`)).status, 404);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    // An explicit Cache-Control, or fetch adds `no-cache` to a conditional request and Express answers 200.
    const again = await fetch(`${api.url}/t/${demo.ingestKey}.js`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    assert.equal(again.status, 304);
  });

  it("serves the store's script", async () => {
    const res = await fetch(`${api.url}/demo/store.js`);
    assert.equal(res.status, 200);
    const js = await res.text();
    assert.match(js, /checkout/);
    assert.ok(!js.includes('import '), 'bundled into one classic script');
  });
});

describe('demo store page: setup notices', () => {
  it('names the origin mismatch instead of loading a tracker whose events would be refused', async function () {
    if (mode !== 'pglite') return this.skip();
    const api = await startTestApi({}, { workers: false });
    try {
      await quietly(() => ensureDemoProject(api.runtime.deps, 'https://shop.example.com'));
      const html = await (await fetch(`${api.url}/demo/`)).text();
      assert.match(html, /does not\s+accept events from <code>http:\/\/127\.0\.0\.1:\d+<\/code>/);
      assert.match(html, /<code>https:\/\/shop\.example\.com<\/code>/);
      assert.doesNotMatch(html, /\/t\//);
    } finally {
      await api.close();
    }
  });

  it('escapes what it shows', () => {
    const html = renderDemoPage({ status: 'origin_not_allowed', origin: 'http://x"><script>', allowed: [] });
    assert.ok(!html.includes('"><script>'));
    assert.ok(html.includes('&quot;&gt;&lt;script&gt;'));
    assert.match(renderDemoPage({ status: 'disabled' }), /project is disabled/);
  });
});
