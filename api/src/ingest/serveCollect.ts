/**
 * POST /collect after routing: per-IP rate limit, body, the use case. Shared by the registry's Express route (which
 * documents it in OpenAPI) and the node:http fast path that serves it in production (`collectFastPath.ts`).
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/errors.ts';
import type { RateLimiter } from './rateLimiter.ts';
import { collectBatch, type CollectDeps, type CollectResult } from './collectBatch.ts';
import { readRawBody } from './readBody.ts';

export interface ServeCollectDeps extends CollectDeps {
  ipLimiter: RateLimiter;
}

/** CORS is not the check (the server compares Origin with the project's list); it only lets trackers read answers. */
export function collectCorsHeaders(origin: string | undefined): Record<string, string> {
  return origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After' } : {};
}

/** Serves one /collect request; refusals are thrown as HttpError. `ip` is the client address after trusted proxies. */
export async function serveCollect(req: IncomingMessage, ip: string | undefined, enc: unknown, deps: ServeCollectDeps): Promise<CollectResult> {
  const wait = deps.ipLimiter.take(ip ?? 'unknown');
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
      encParam: enc,
      origin: req.headers.origin,
      ip,
      userAgent: req.headers['user-agent'],
    },
    deps,
  );
}
