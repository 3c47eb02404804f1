import { z } from 'zod';
import { collectBatch } from '../ingest/collectBatch.ts';
import { readRawBody } from '../ingest/readBody.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from './defineRoute.ts';

const collectResponse = z.object({
  stored: z.boolean(),
  duplicate: z.boolean().optional(),
  reason: z.enum(['bot', 'internal_ip']).optional(),
});

/** CORS is not the check (the server compares Origin with the project's list); it only lets trackers read answers. */
function corsHeaders(origin: string | undefined): Record<string, string> {
  return origin
    ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After' }
    : {};
}

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
    const origin = req.headers.origin;
    res.set(corsHeaders(origin));
    const wait = deps.ipLimiter.take(req.ip ?? 'unknown');
    if (wait > 0) {
      req.resume();
      throw new HttpError(429, 'rate_limited', 'too many requests from this address', {}, { 'Retry-After': String(wait) });
    }
    const body = await readRawBody(req);
    return collectBatch(
      {
        body,
        contentType: req.headers['content-type'],
        contentEncoding: req.headers['content-encoding'],
        encParam: query.enc,
        origin,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      },
      deps,
    );
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
        ...corsHeaders(req.headers.origin),
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding',
        'Access-Control-Max-Age': '86400',
      })
      .status(204)
      .end();
    return undefined;
  },
});
