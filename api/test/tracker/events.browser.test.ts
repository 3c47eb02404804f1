/**
 * The eager core in a real Chromium, asserting on what the api received: every event kind, SPA navigation, the tag
 * limit, identify hashing, the reaction signal of clicks and deduplicated errors.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { TestApi } from '../helpers/testRuntime.ts';
import { inboxBodies, ofType, trackerProject, useBrowserSuite, visit, waitForEvents, type Fixtures } from './browserHarness.ts';

const PAGE = `
  <main id="main" style="height: 3000px">
    <button id="mutates" onclick="document.getElementById('out').textContent = 'clicked'">Add</button>
    <button id="dead">Does nothing</button>
    <a id="link" href="#section-2">Section 2</a>
    <p id="out"></p>
  </main>`;

describe('tracker eager core in a real browser', function () {
  this.timeout(120_000);
  let api: TestApi | undefined;
  let browser: Browser | null = null;
  let fixtures: Fixtures;

  useBrowserSuite((suite) => ({ api, browser, fixtures } = suite));

  it('sends each event kind, with SPA navigations, click reactions and deduplicated errors', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures);
    const v = await visit(api, fixtures, browser, project, PAGE, { title: 'Fixture shop', pageScript: "loupe('event', 'early_call')" });
    const { page } = v;
    await page.click('#mutates');
    await page.click('#dead');
    await page.waitForTimeout(1100); // its reaction window passes with nothing happening
    await page.mouse.wheel(0, 1500);
    await page.waitForTimeout(400);
    await page.mouse.wheel(0, -600);
    await page.waitForTimeout(400);
    await page.setViewportSize({ width: 900, height: 700 });
    await page.evaluate(() => {
      const loupe = (window as unknown as { loupe: (...a: unknown[]) => void }).loupe;
      loupe('set', 'plan', 'gold');
      loupe('set', 'colors', ['red', 'blue']);
      loupe('event', 'newsletter_signup');
      loupe('checkout', 'started', { token: 'chk_1', value: '19.90', currency: 'eur' });
      loupe('checkout', 'bogus-step', {});
      history.pushState({}, '', '/shop/spa/one');
      history.replaceState({}, '', '/shop/spa/two');
      location.hash = 'frag';
      history.pushState({}, '', '/shop/spa/three');
      for (let i = 0; i < 7; i++) setTimeout(() => { throw new Error('same failure'); }, 0);
      void Promise.reject(new Error('rejected once'));
    });
    await page.waitForTimeout(100);
    await page.goBack(); // popstate back to /shop/spa/two#frag
    await page.waitForTimeout(1200); // the clicks' reaction window
    await v.close(); // visibility hidden + pagehide: the rest leaves by beacon

    const events = await waitForEvents(api, project.id, (e) => ofType(e, 'vs').length > 0 && ofType(e, 'cl').length >= 2, 'events');
    // Batches sent at once (beacons at unload) may commit in any order: compare page views by their client time.
    const pageViews = ofType(events, 'pv').sort((a, b) => Number(a.ts) - Number(b.ts));
    assert.deepEqual(pageViews.map((p) => p.nv).sort(), ['hash', 'load', 'pop', 'push', 'push', 'replace']);
    assert.equal(pageViews[0]?.nv, 'load');
    assert.equal(pageViews[0]?.ti, 'Fixture shop');
    const clicks = ofType(events, 'cl');
    const bySelector = Object.fromEntries(clicks.map((c) => [c.s, c]));
    assert.equal(bySelector['#mutates']?.rc, 'mutation');
    assert.equal(bySelector['#mutates']?.i, true);
    assert.equal(bySelector['#dead']?.rc, 'none', 'a click nothing reacted to is dead');
    for (const c of clicks) assert.ok(Number(c.rx) >= 0 && Number(c.rx) <= 1 && typeof c.px === 'number');
    const scrolls = ofType(events, 'sc');
    assert.ok(scrolls.some((s) => Number(s.d) > 50), 'depth grew');
    assert.ok(scrolls.some((s, i) => i > 0 && Number(s.y) < Number(scrolls[i - 1]?.y)), 'direction change reported');
    assert.deepEqual(ofType(events, 'rs').map((r) => [r.w, r.h]), [[900, 700]]);
    const hidden = ofType(events, 'vs').find((e) => e.vi === false);
    assert.ok(hidden && typeof hidden.a === 'number', 'visibility with active time on hide');
    assert.deepEqual(ofType(events, 'tg').map((t) => [t.k, t.v]), [['plan', 'gold'], ['colors', ['red', 'blue']]]);
    assert.deepEqual(ofType(events, 'ev').map((e) => e.nm), ['early_call', 'newsletter_signup'], 'queued calls run first');
    assert.deepEqual(ofType(events, 'co').map((c) => [c.st, c.tk, c.v, c.cu]), [['started', 'chk_1', 19.9, 'EUR']]);
    const errors = ofType(events, 'er');
    assert.equal(errors.filter((e) => e.m === 'Uncaught Error: same failure').length, 5, 'at most 5 per message per page');
    assert.equal(errors.filter((e) => e.k === 'rejection' && e.m === 'rejected once').length, 1);
    assert.deepEqual(v.pageErrors.filter((m) => m !== 'same failure' && m !== 'rejected once'), [], 'only the page’s own errors');
  });

  it('keeps at most 128 tags per page and clips keys and values to 255 characters', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures);
    const v = await visit(api, fixtures, browser, project, PAGE);
    await v.page.evaluate(() => {
      const loupe = (window as unknown as { loupe: (...a: unknown[]) => void }).loupe;
      for (let i = 0; i < 140; i++) loupe('set', `k${i}${'x'.repeat(300)}`, 'v'.repeat(300));
    });
    // ~70 KB of tags: more than the 64 KB browsers allow for beacons at unload, so they leave by fetch first.
    await waitForEvents(api, project.id, (e) => ofType(e, 'tg').length >= 128, '128 tags');
    await v.close();
    await new Promise((r) => setTimeout(r, 1000));
    const events = await waitForEvents(api, project.id, (e) => ofType(e, 'vs').length > 0, 'the last beacon');
    const tags = ofType(events, 'tg');
    assert.equal(tags.length, 128);
    assert.ok(tags.every((t) => String(t.k).length === 255 && String(t.v).length === 255));
  });

  for (const subtle of ['WebCrypto', 'the pure-JS fallback (no crypto.subtle)'] as const) {
    it(`identify sends only the salted SHA-256 of the normalised id, through ${subtle}`, async () => {
      assert.ok(api && browser);
      const project = await trackerProject(api, fixtures, { recording: { enabled: false } });
      const salt = (await api.runtime.deps.db.prisma.project.findUniqueOrThrow({ where: { id: project.id } })).identifySalt;
      const raw = '  Ada.Lovelace@Example.COM ';
      const v = await visit(api, fixtures, browser, project, PAGE, {
        initScript: subtle === 'WebCrypto' ? undefined : "Object.defineProperty(window.crypto, 'subtle', { value: undefined })",
      });
      await v.page.evaluate((id) => (window as unknown as { loupe: (...a: unknown[]) => void }).loupe('identify', id), raw);
      await v.page.waitForTimeout(500);
      await v.close();
      const events = await waitForEvents(api, project.id, (e) => ofType(e, 'id').length > 0, 'identify');
      const expected = createHash('sha256').update(`${salt}\nada.lovelace@example.com`).digest('hex');
      assert.deepEqual(ofType(events, 'id').map((e) => e.h), [expected]);
      const everything = [...(await inboxBodies(api, project.id)), ...v.urls].join('\n').toLowerCase();
      assert.ok(!everything.includes('lovelace'), 'the raw id never leaves the browser');
      assert.equal(v.urls.some((u) => /\/t\/sha256\./.test(u)), subtle !== 'WebCrypto', 'the fallback loads only when needed');
    });
  }
});
