/**
 * The demo store end to end in a real Chromium: page → tracker → /collect → workers → rows. The last batches
 * leave by sendBeacon while the page closes, which Playwright cannot observe, so the assertions read the database.
 */
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { browserGate, CHROMIUM } from '../helpers/browserGate.ts';
import { eventually, startTestApi, type TestApi } from '../helpers/testRuntime.ts';
import { readyDemoProject, type DemoProject } from './demoProject.ts';

const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
/** Headless Chromium names itself HeadlessChrome, which the api rightly drops as a bot. */
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SCREENSHOT = '/tmp/demo-store.png';

interface Counts {
  clicks: number;
  errors: number;
  pageViews: number;
  steps: string[];
}

describe('demo store in a real browser', function () {
  this.timeout(120_000);
  let api: TestApi | undefined;
  let browser: Browser | undefined;
  let demo: DemoProject;

  before(async function () {
    browserGate(this, 'demo store in a real browser');
    api = await startTestApi();
    demo = await readyDemoProject(api);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  it('records the add to cart, the checkout funnel in cents, the planted error and a dead click', async () => {
    assert.ok(api && browser);
    const context = await browser.newContext({ userAgent: USER_AGENT, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const collectStatuses: number[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('response', (res) => {
      if (res.url().endsWith('/collect')) collectStatuses.push(res.status());
    });

    await page.goto(`${api.url}/demo/`);
    await page.waitForFunction(() => typeof (window as { loupe?: unknown }).loupe === 'function');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const product = '#products .product:nth-of-type(2)';
    const price = Number(await page.getAttribute(product, 'data-price'));
    await page.click(`${product} .add-to-cart`);
    await page.click('#checkout-start');
    await page.click('#step-contact button[type=submit]');
    await page.click('#step-shipping button[type=submit]');
    await page.click('#pay');
    await page.waitForSelector('#step-confirmed', { state: 'visible' });
    await page.click('#continue-shopping');
    for (let i = 0; i < 3; i++) await page.click('#gift-card');
    await page.click('#care-guide');
    const clientSessionId = await page.evaluate(() => sessionStorage.getItem('loupe_sid')?.split('.')[0] ?? '');
    assert.ok(clientSessionId, 'the tracker keeps its session id in sessionStorage');
    await page.close();
    await context.close();

    const sql = api.runtime.deps.db.sql;
    const [session] = await eventually(
      async () => {
        const rows = await sql.query<{ id: string }>('SELECT id FROM sessions WHERE project_id = $1 AND client_session_id = $2', [
          demo.id,
          clientSessionId,
        ]);
        return rows.length ? rows : null;
      },
      30_000,
      'the session',
    );
    assert.ok(session);
    const rowsOf = <T>(query: string): Promise<T[]> => sql.query<T>(query, [demo.id, session.id]);
    const count = async (): Promise<Counts> => {
      const n = async (table: string) =>
        (await rowsOf<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE project_id = $1 AND session_id = $2`))[0]?.n ?? 0;
      // Steps in funnel order: their times come from different batches, each corrected by its own receipt time,
      // so steps clicked within milliseconds may store in either order (the funnel does not depend on it).
      const steps = await rowsOf<{ step: string }>(
        `SELECT step FROM checkout_events WHERE project_id = $1 AND session_id = $2
          ORDER BY array_position(ARRAY['started', 'contact', 'shipping', 'payment', 'other', 'confirmed'], step), ts, idx`,
      );
      return { clicks: await n('clicks'), errors: await n('js_errors'), pageViews: await n('page_views'), steps: steps.map((s) => s.step) };
    };
    // Everything up to the close, including what left by beacon: 10 clicks, 3 errors, 4 steps.
    const counts = await eventually(async () => {
      const c = await count();
      return c.clicks >= 10 && c.errors >= 3 && c.steps.length >= 4 && c.pageViews >= 6 ? c : null;
    }, 30_000, 'clicks, errors and checkout steps');
    // Page views: the load, one per checkout step (pushState), and the return to the shop.
    assert.deepEqual(counts, { clicks: 10, errors: 3, pageViews: 6, steps: ['contact', 'shipping', 'payment', 'confirmed'] });

    const checkouts = await rowsOf<{ token: string; value_minor: string; currency: string; source: string }>(
      'SELECT token, value_minor::text AS value_minor, currency, source FROM checkout_events WHERE project_id = $1 AND session_id = $2',
    );
    const cents = String(Math.round(price * 100));
    for (const c of checkouts) {
      assert.deepEqual({ ...c, token: c.token.startsWith('chk_') }, { token: true, value_minor: cents, currency: 'EUR', source: 'tracker' });
    }
    assert.equal(new Set(checkouts.map((c) => c.token)).size, 1, 'one token across the steps');

    const [error] = await rowsOf<{ kind: string; message: string; source: string | null; stack: string | null }>(
      'SELECT kind, message, source, stack FROM js_errors WHERE project_id = $1 AND session_id = $2 LIMIT 1',
    );
    assert.equal(error?.kind, 'error');
    assert.match(error?.message ?? '', /balance/);
    assert.match(error?.source ?? '', /\/demo\/store\.js$/);
    assert.ok(error?.stack, 'stack kept');

    const clicks = await rowsOf<{ selector: string; interactive: boolean; rel_x: number; rel_y: number }>(
      'SELECT selector, interactive, rel_x, rel_y FROM clicks WHERE project_id = $1 AND session_id = $2 ORDER BY ts, idx',
    );
    assert.equal(clicks[0]?.selector, '#products > article.product:nth-of-type(2) > div.body > button.primary.add-to-cart');
    assert.ok(clicks.every((c) => c.rel_x >= 0 && c.rel_x <= 1 && c.rel_y >= 0 && c.rel_y <= 1));
    assert.deepEqual(clicks.at(-1), { ...clicks.at(-1), selector: '#care-guide', interactive: false }, 'the dead click');
    assert.ok(clicks.filter((c) => c.selector === '#gift-card').every((c) => c.interactive));

    const [extras] = await rowsOf<{ events: string[]; tags: string[]; depth: number }>(
      `SELECT (SELECT array_agg(name) FROM custom_events WHERE project_id = $1 AND session_id = $2) AS events,
              (SELECT array_agg(key || '=' || value) FROM custom_tags WHERE project_id = $1 AND session_id = $2) AS tags,
              (SELECT max_scroll_depth FROM sessions WHERE project_id = $1 AND id = $2) AS depth`,
    );
    assert.deepEqual(extras?.events, ['add_to_cart'], "loupe('event') from the page");
    assert.deepEqual(extras?.tags, ['customer=guest'], "loupe('set') from the page");
    assert.ok((extras?.depth ?? 0) > 0, 'scroll depth measured at load');

    assert.ok(pageErrors.every((m) => /balance/.test(m)), `only the planted error: ${pageErrors.join(' | ')}`);
    assert.equal(pageErrors.length, 3);
    assert.ok(collectStatuses.every((s) => s === 200), `collect answered ${collectStatuses.join(', ')}`);
  });
});
