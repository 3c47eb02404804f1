import { z } from 'zod';
import { batchesFromShopifyPixel, shopifyPixelBody } from '../checkout/fromShopifyPixel.ts';
import { batchesFromWooCommerce, wooServerBody } from '../checkout/fromWooCommerce.ts';
import { storeCheckoutBatches } from '../checkout/storeCheckoutBatches.ts';
import { HttpError } from '../http/errors.ts';
import { isOriginAllowed } from '../ingest/originCheck.ts';
import { readRawBody } from '../ingest/readBody.ts';
import { defineRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

const storedView = z.object({ stored: z.number().int(), duplicates: z.number().int() });

const cors = (origin: string | undefined): Record<string, string> =>
  origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After' } : {};

export const shopifyPixelRoute = defineRoute({
  method: 'post',
  path: '/collect/shopify',
  summary: "Checkout events from Loupe's Shopify web pixel (project key in the body; Origin must be a project domain).",
  tag: 'ingest',
  auth: 'ingest',
  body: 'raw',
  response: storedView,
  errors: [400, 403, 404, 413, 429],
  async handler({ req, res, deps }) {
    const origin = req.headers.origin;
    res.set(cors(origin));
    const wait = deps.ipLimiter.take(req.ip ?? 'unknown');
    if (wait > 0) {
      req.resume();
      throw new HttpError(429, 'rate_limited', 'too many requests from this address', {}, { 'Retry-After': String(wait) });
    }
    let json: unknown;
    try {
      json = JSON.parse((await readRawBody(req)).toString('utf8'));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, 'malformed_json', `body is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = shopifyPixelBody.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, 'invalid_body', `${issue?.path.join('.')}: ${issue?.message}`, { field: issue?.path.join('.') });
    }
    const project = await deps.projects.byIngestKey(parsed.data.projectKey);
    if (!project) throw new HttpError(404, 'unknown_project', `no project has the key ${parsed.data.projectKey}`);
    if (project.disabled) throw new HttpError(403, 'project_disabled', 'this project is disabled');
    if (!isOriginAllowed(origin, project.allowedOrigins)) {
      throw new HttpError(403, 'origin_not_allowed', origin ? `origin ${origin} is not allowed for this project` : 'an Origin header is required');
    }
    return storeCheckoutBatches(deps.inbox, project.id, batchesFromShopifyPixel(parsed.data));
  },
});

export const shopifyPixelPreflightRoute = defineRoute({
  method: 'options',
  path: '/collect/shopify',
  summary: 'CORS preflight for /collect/shopify.',
  tag: 'ingest',
  auth: 'public',
  status: 204,
  async handler({ req, res }) {
    res.set({
      ...cors(req.headers.origin),
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'Content-Type',
      'Access-Control-Max-Age': '86400',
    });
    return undefined;
  },
});

export const serverCheckoutEventsRoute = defineRoute({
  method: 'post',
  path: '/api/projects/:projectId/checkout-events',
  summary:
    'Server-side checkout events from a platform (WooCommerce: order_created, payment_complete), merged with the ' +
    "browser's steps by checkout token; each event's id makes resends harmless. Needs a token with scope events.",
  tag: 'checkout',
  auth: 'projectEvents',
  params: projectParams,
  body: wooServerBody,
  response: storedView,
  errors: [400, 401, 403, 404],
  async handler({ params, body, deps }) {
    const project = await deps.projects.byProjectId(params.projectId);
    if (!project) throw new HttpError(404, 'not_found', 'no such project');
    return storeCheckoutBatches(deps.inbox, project.id, batchesFromWooCommerce(body, project.ingestKey, Date.now()));
  },
});

export const checkoutRoutes = [shopifyPixelRoute, shopifyPixelPreflightRoute, serverCheckoutEventsRoute];
