/**
 * POST /collect straight from node:http, ahead of Express: the hottest route skips the router's walk over every
 * registry route and Express's request/response wrappers. Same checks and same answers as the registry route
 * (`routes/collect.ts`, which documents it): both call `serveCollect`, and `test/ingest/fastPath.test.ts` compares
 * them on the refusal matrix.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../appDeps.ts';
import { errorResponse } from '../http/errorResponse.ts';
import type { ErrorBody } from '../http/errors.ts';
import { parsePart } from '../http/mountRoutes.ts';
import { collectRoute } from '../routes/collect.ts';
import { collectCorsHeaders, serveCollect } from './serveCollect.ts';

/**
 * The client address as Express computes it with `trust proxy` set to a hop count: the address `hops` steps back
 * along socket → X-Forwarded-For (right to left), or the farthest one known.
 */
export function clientAddress(req: IncomingMessage, hops: number): string | undefined {
  const socket = req.socket.remoteAddress;
  if (hops === 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const chain = [socket, ...forwarded.reverse()];
  return chain[Math.min(hops, chain.length - 1)];
}

/** The query string as Express's simple parser reads it: one value → string, repeated → array. */
function queryOf(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Returns a request listener step: true when it took the request (POST /collect), false to hand it to Express. */
export function collectFastPath(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const hops = deps.config.LOUPE_TRUST_PROXY;
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'POST' || !url.startsWith('/collect') || (url.length > 8 && url[8] !== '?')) return false;
    const headers: Record<string, string> = collectCorsHeaders(req.headers.origin);
    // While draining, answer and close keep-alive connections (as the Express app does).
    if (!deps.accepting) headers.Connection = 'close';
    void (async () => {
      try {
        const query = parsePart(collectRoute.query, queryOf(url.slice(9)), 'query') as { enc?: string };
        send(res, 200, headers, await serveCollect(req, clientAddress(req, hops), query.enc, deps));
      } catch (err) {
        if (res.headersSent) return;
        const known = errorResponse(err);
        if (known) {
          send(res, known.status, { ...headers, ...known.headers }, known.body);
          return;
        }
        deps.logger.error({ err, method: req.method, url }, 'request failed');
        send(res, 500, headers, { error: 'internal', message: 'internal server error' } satisfies ErrorBody);
      }
    })();
    return true;
  };
}
