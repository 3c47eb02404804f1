/**
 * Consent, Do-Not-Track / GPC and delivery in a real Chromium, asserting on what reached the api: consent required
 * and not given → zero requests; DNT → zero requests; the beacon on page hide; a retry after a failed request; an
 * api that is down never becomes an error in the page.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { TestApi } from '../helpers/testRuntime.ts';
import { ofType, sleep, trackerProject, useBrowserSuite, visit, waitForEvents, wireEvents, type Fixtures } from './browserHarness.ts';

const PAGE = '<main style="height: 2000px"><button id="buy">Buy</button></main>';
const sent = (urls: string[]): string[] => urls.filter((u) => /\/(collect|record)/.test(u));

describe('tracker privacy and delivery in a real browser', function () {
  this.timeout(120_000);
  let api: TestApi | undefined;
  let browser: Browser | null = null;
  let fixtures: Fixtures;

  useBrowserSuite((suite) => ({ api, browser, fixtures } = suite));

  it('consent required and not given: zero requests, no cookie; once given, the page view and queued calls follow', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { consentRequired: true });
    const v = await visit(api, fixtures, browser, project, PAGE, { pageScript: "loupe('event', 'before_consent')" });
    await v.page.click('#buy');
    await v.page.mouse.wheel(0, 800);
    await sleep(1500);
    assert.deepEqual(sent(v.urls), []);
    assert.equal(await v.page.evaluate(() => document.cookie), '', 'no visitor cookie before consent');
    await v.page.goto('about:blank');
    await sleep(1000);
    assert.equal((await wireEvents(api, project.id)).length, 0, 'nothing stored, beacons at unload included');

    const again = await visit(api, fixtures, browser, project, PAGE, { pageScript: "loupe('event', 'queued_before_consent')" });
    await again.page.evaluate(() => (window as unknown as { loupe: (...a: unknown[]) => void }).loupe('consent', true));
    await again.close();
    const events = await waitForEvents(api, project.id, (e) => ofType(e, 'pv').length > 0 && ofType(e, 'cn').length > 0, 'consented events');
    assert.deepEqual(ofType(events, 'cn').map((e) => e.g), [true]);
    assert.deepEqual(ofType(events, 'ev').map((e) => e.nm), ['queued_before_consent'], 'calls made before consent run after it');
  });

  it('withdrawing consent stops sending and forgets the visitor cookie', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures);
    const v = await visit(api, fixtures, browser, project, PAGE);
    assert.match(await v.page.evaluate(() => document.cookie), /loupe_vid=/);
    await v.page.evaluate(() => (window as unknown as { loupe: (...a: unknown[]) => void }).loupe('consent', false));
    assert.doesNotMatch(await v.page.evaluate(() => document.cookie), /loupe_vid=/);
    const before = sent(v.urls).length;
    await v.page.click('#buy');
    await sleep(1500);
    assert.equal(sent(v.urls).length, before);
    await v.close();
    await sleep(1000);
    assert.equal(ofType(await wireEvents(api, project.id), 'cl').length, 0, 'the click after withdrawal never left');
  });

  for (const [name, script] of [
    ['Do-Not-Track', "Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })"],
    ['Global Privacy Control', "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })"],
  ] as const) {
    it(`honours ${name} when the project does: zero requests; ignores it when the project does not`, async () => {
      assert.ok(api && browser);
      const honouring = await trackerProject(api, fixtures, { honorDoNotTrack: true });
      const v = await visit(api, fixtures, browser, honouring, PAGE, { initScript: script });
      await v.page.click('#buy');
      await v.close();
      await sleep(1000);
      assert.deepEqual(sent(v.urls), []);
      assert.equal((await wireEvents(api, honouring.id)).length, 0);

      const ignoring = await trackerProject(api, fixtures, { honorDoNotTrack: false });
      const w = await visit(api, fixtures, browser, ignoring, PAGE, { initScript: script });
      await w.close();
      await waitForEvents(api, ignoring.id, (e) => ofType(e, 'pv').length > 0, 'page view');
    });
  }

  it('hands the last events to sendBeacon when the page hides', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { recording: { enabled: false } });
    const v = await visit(api, fixtures, browser, project, PAGE);
    await v.page.evaluate(() => (window as unknown as { loupe: (...a: unknown[]) => void }).loupe('event', 'last_words'));
    // Well inside the 5 s flush interval: only the hide handler can send it.
    await v.close();
    assert.deepEqual(sent(v.urls), [], 'nothing left by fetch');
    const events = await waitForEvents(api, project.id, (e) => ofType(e, 'ev').length > 0, 'the beacon');
    assert.deepEqual(ofType(events, 'ev').map((e) => e.nm), ['last_words']);
  });

  it('retries after a failed request and delivers the same batch once', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures, { recording: { enabled: false } });
    const v = await visit(api, fixtures, browser, project, PAGE);
    let failed = 0;
    await v.page.route('**/collect', (route) => (failed++ === 0 ? route.abort('connectionreset') : route.continue()));
    await v.page.evaluate(() => {
      const loupe = (window as unknown as { loupe: (...a: unknown[]) => void }).loupe;
      // Letters, not numbers: digit runs in event names are scrubbed (masking table).
      for (let i = 0; i < 25; i++) loupe('event', `e_${String.fromCharCode(97 + i)}`);
    });
    const events = await waitForEvents(api, project.id, (e) => ofType(e, 'ev').length >= 20, 'the retried batch');
    assert.ok(failed >= 2, 'one failure, then a retry');
    assert.deepEqual(ofType(events, 'ev').map((e) => e.nm).slice(0, 20), Array.from({ length: 20 }, (_, i) => `e_${String.fromCharCode(97 + i)}`));
    await v.close();
    const all = await waitForEvents(api, project.id, (e) => ofType(e, 'ev').length >= 25, 'all events');
    assert.equal(ofType(all, 'ev').length, 25, 'each event stored once');
  });

  it('an api that is down never becomes an error in the page', async () => {
    assert.ok(api && browser);
    const project = await trackerProject(api, fixtures);
    const v = await visit(api, fixtures, browser, project, PAGE, {
      initScript: 'window.__errors = []; addEventListener("error", (e) => window.__errors.push(String(e.message))); addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason)));',
    });
    await v.page.route(/\/(collect|record)/, (route) => route.abort('connectionrefused'));
    await v.page.evaluate(() => {
      const loupe = (window as unknown as { loupe: (...a: unknown[]) => void }).loupe;
      for (let i = 0; i < 30; i++) loupe('event', `e${i}`);
      loupe('identify', 'someone@example.com');
      loupe('checkout', 'payment', { value: 'x' });
      loupe('upgrade');
      loupe();
      loupe('nonsense', { deep: { thing: 1 } });
    });
    await v.page.click('#buy');
    await v.page.mouse.wheel(0, 500);
    await sleep(3000);
    assert.deepEqual(v.pageErrors, []);
    assert.deepEqual(await v.page.evaluate(() => (window as unknown as { __errors: string[] }).__errors), []);
    await v.close();
  });
});
