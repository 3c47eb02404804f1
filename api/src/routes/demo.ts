/**
 * The demo store (quick start): a shop page recorded by the demo tracker into the "Demo store" project.
 * Public by design; the page carries only that project's public ingest key.
 */
import type { Response } from 'express';
import { storeScript } from '../demo/assets.ts';
import { renderDemoPage } from '../demo/page.ts';
import { demoSetup } from '../demo/setup.ts';
import { snippetCspHash } from '../projects/installSnippet.ts';
import { defineRoute, type AnyRoute } from './defineRoute.ts';

/** Scripts are not content-hashed: a short max-age plus the ETag Express adds keeps reloads cheap and fresh. */
const SCRIPT_CACHE = 'public, max-age=300';

/** The page runs only its own scripts (and the install snippet, by hash) and talks only to this server. */
const pageCsp = (snippet: string | null): string =>
  `default-src 'self'; script-src 'self'${snippet ? ` ${snippetCspHash(snippet)}` : ''}; style-src 'unsafe-inline'; ` +
  "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function sendScript(res: Response, build: () => Promise<string>): Promise<undefined> {
  const js = await build();
  res.set('Cache-Control', SCRIPT_CACHE).type('text/javascript').send(js);
  return undefined;
}

export const demoPageRoute = defineRoute({
  method: 'get',
  path: '/demo/',
  summary: 'The demo store: a small shop whose visits are recorded in the "Demo store" project (quick start).',
  tag: 'demo',
  auth: 'public',
  produces: 'text/html',
  async handler({ req, res, deps }) {
    // Relative script URLs need the trailing slash (Express also routes /demo here).
    if (!req.path.endsWith('/')) {
      res.redirect(301, 'demo/');
      return undefined;
    }
    const setup = await demoSetup(deps.db.prisma, `${req.protocol}://${req.get('host') ?? ''}`);
    res.set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': pageCsp(setup.status === 'ready' ? setup.snippet : null), 'X-Content-Type-Options': 'nosniff' });
    return renderDemoPage(setup);
  },
});

export const demoStoreRoute = defineRoute({
  method: 'get',
  path: '/demo/store.js',
  summary: "The demo store's own script: cart and checkout.",
  tag: 'demo',
  auth: 'public',
  produces: 'text/javascript',
  async handler({ res }) {
    return sendScript(res, storeScript);
  },
});

export const demoRoutes: readonly AnyRoute[] = [demoPageRoute, demoStoreRoute];
