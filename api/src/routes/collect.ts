import { z } from 'zod';
import { collectCorsHeaders, serveCollect } from '../ingest/serveCollect.ts';
import { defineRoute } from './defineRoute.ts';

const collectResponse = z.object({
  stored: z.boolean(),
  duplicate: z.boolean().optional(),
  reason: z.enum(['bot', 'internal_ip']).optional(),
});

/** Declared here for OpenAPI and as the Express fallback; production traffic takes `ingest/collectFastPath.ts`. */
export const collectRoute = defineRoute({
  method: 'post',
  path: '/collect',
  summary:
    'Ingest one batch of tracker events (JSON, gzip/deflate via Content-Encoding or ?enc=, or text/plain beacons). ' +
    '200 means the batch is committed; processing is asynchronous.',
  tag: 'ingest',
  auth: 'ingest',
  query: z.object({ enc: z.string().optional() }),
  body: 'raw',
  response: collectResponse,
  errors: [400, 403, 404, 410, 413, 415, 429],
  async handler({ req, res, deps, query }) {
    res.set(collectCorsHeaders(req.headers.origin));
    return serveCollect(req, req.ip, query.enc, deps);
  },
});

export const collectPreflightRoute = defineRoute({
  method: 'options',
  path: '/collect',
  summary: 'CORS preflight for /collect (JSON bodies from fetch).',
  tag: 'ingest',
  auth: 'public',
  status: 204,
  async handler({ req, res }) {
    res
      .set({
        ...collectCorsHeaders(req.headers.origin),
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding',
        'Access-Control-Max-Age': '86400',
      })
      .status(204)
      .end();
    return undefined;
  },
});
