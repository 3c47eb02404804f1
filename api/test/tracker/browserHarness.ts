/**
 * Real-Chromium harness for tracker tests: fixture pages served by a small HTTP server of their own (another origin,
 * like a real shop; request interception would swallow the beacons sent at unload) with the real install snippet, and readers of what the api actually received and stored — inbox bodies,
 * recording chunks and every request URL — because Playwright does not see beacons sent while a page unloads.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { installSnippetScript } from '../../src/projects/installSnippet.ts';
import { browserGate, CHROMIUM } from '../helpers/browserGate.ts';
import { eventually, makeProject, startTestApi, type TestApi } from '../helpers/testRuntime.ts';

export { CHROMIUM };
/**
 * Headless Chromium names itself HeadlessChrome, which the api rightly drops as a bot. The browser-wide flag, not
 * a context override: requests sent while a page unloads (beacons) carry the default UA, not the override.
 */
export const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', `--user-agent=${USER_AGENT}`];

/** Skips the suite when browsers are off (LOUPE_SKIP_BROWSER=1) or Chromium is missing (fails under CI); else launches it. */
export async function launchOrSkip(ctx: Mocha.Context): Promise<Browser | null> {
  browserGate(ctx, ctx.test?.parent?.fullTitle() ?? 'tracker');
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** What a browser suite shares. */
export interface BrowserSuite {
  browser: Browser | null;
  api: TestApi;
  fixtures: Fixtures;
}

/**
 * Registers the suite's hooks: before its tests, Chromium (or the suite is skipped), an api and the fixture server,
 * handed to `use`; after them, each one that started is closed.
 */
export function useBrowserSuite(use: (suite: BrowserSuite) => void): void {
  let browser: Browser | null = null;
  let api: TestApi | undefined;
  let fixtures: Fixtures | undefined;
  before(async function () {
    browser = await launchOrSkip(this);
    api = await startTestApi();
    fixtures = await startFixtures();
    use({ browser, api, fixtures });
  });
  after(async () => {
    await browser?.close();
    await api?.close();
    await fixtures?.close();
  });
}

export type Project = Awaited<ReturnType<typeof makeProject>>;

/** Fixture pages by path, served at `fixtures.origin`. */
export interface Fixtures {
  origin: string;
  pages: Map<string, string>;
  close(): Promise<void>;
}

export async function startFixtures(): Promise<Fixtures> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split(/[?#]/)[0] ?? '/');
    if (html === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A project that accepts the fixtures' origin. */
export const trackerProject = (api: TestApi, fixtures: Fixtures, settings: Record<string, unknown> = {}): Promise<Project> =>
  makeProject(api, { allowedOrigins: [fixtures.origin], ...settings });

export interface Visit {
  context: BrowserContext;
  page: Page;
  /** Every request URL the page made (beacons at unload excepted). */
  urls: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

export interface FixtureOptions {
  title?: string;
  /** Query string of the fixture URL (e.g. `?email=…`). */
  query?: string;
  /** Runs before any page script (e.g. to fake Do-Not-Track). */
  initScript?: string;
  /** Extra script run right after the snippet (page code calling `loupe(...)` early). */
  pageScript?: string;
  /** Markup at the very start of `<head>` (e.g. a Content-Security-Policy meta tag). */
  head?: string;
}

/** Opens a fixture page with the install snippet of `project` and `body` as its content. */
export async function visit(
  api: TestApi,
  fixtures: Fixtures,
  browser: Browser,
  project: Project,
  body: string,
  o: FixtureOptions = {},
): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  if (o.initScript) await context.addInitScript(o.initScript);
  const page = await context.newPage();
  const urls: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  if (process.env.DEBUG_TRACKER) {
    page.on('response', async (r) => console.log('response', r.status(), r.url(), /collect|record/.test(r.url()) ? await r.text().catch(() => '') : ''));
    page.on('console', (m) => console.log('console', m.text()));
  }
  const path = `/shop/${project.ingestKey}`;
  const html =
    `<!doctype html><html><head>${o.head ?? ''}<meta charset="utf-8"><title>${o.title ?? 'Fixture'}</title>` +
    `<script>${installSnippetScript(api.url, project.ingestKey)}</script>` +
    (o.pageScript ? `<script>${o.pageScript}</script>` : '') +
    `</head><body>${body}</body></html>`;
  fixtures.pages.set(path, html);
  await page.goto(`${fixtures.origin}${path}${o.query ?? ''}`);
  await page.waitForFunction(() => typeof (window as { loupe?: { q?: unknown } }).loupe === 'function' && !(window as { loupe?: { q?: unknown } }).loupe?.q);
  return {
    context,
    page,
    urls,
    pageErrors,
    async close() {
      // Leaving the page fires visibilitychange + pagehide, where the tracker hands what is left to sendBeacon.
      await page.goto('about:blank');
      await page.close();
      await context.close();
    },
  };
}

/** Every wire body /collect accepted for the project, as decompressed text. */
export async function inboxBodies(api: TestApi, projectId: string): Promise<string[]> {
  const rows = await api.runtime.deps.db.sql.query<{ body: string }>('SELECT body FROM inbox_batches WHERE project_id = $1 ORDER BY id', [projectId]);
  return rows.map((r) => r.body);
}

/** Decoded wire events (short keys) of every accepted batch. */
export async function wireEvents(api: TestApi, projectId: string): Promise<Record<string, unknown>[]> {
  return (await inboxBodies(api, projectId)).flatMap((b) => (JSON.parse(b) as { e: Record<string, unknown>[] }).e);
}

/** Every stored recording chunk of the project, decompressed, in (session, seq) order. */
export async function recordingTexts(api: TestApi, projectId: string): Promise<string[]> {
  const rows = await api.runtime.deps.db.sql.query<{ encoding: string; payload: Uint8Array }>(
    'SELECT encoding, payload FROM recording_chunks WHERE project_id = $1 ORDER BY session_id, seq',
    [projectId],
  );
  return rows.map((r) => (r.encoding === 'gzip' ? gunzipSync(Buffer.from(r.payload)) : Buffer.from(r.payload)).toString('utf8'));
}

/** Waits until the project's accepted events satisfy `test`. */
export const waitForEvents = (api: TestApi, projectId: string, test: (events: Record<string, unknown>[]) => boolean, what: string) =>
  eventually(async () => {
    const events = await wireEvents(api, projectId);
    if (process.env.DEBUG_TRACKER) console.log("events", events.length, JSON.stringify(events).slice(0, 300));
    return test(events) ? events : null;
  }, 20_000, what);

export const ofType = (events: Record<string, unknown>[], code: string): Record<string, unknown>[] => events.filter((e) => e.t === code);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
