import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../appDeps.ts';
import { authenticate, checkCsrf } from '../auth/authenticate.ts';
import { authorizeProject } from '../auth/authorizeProject.ts';
import type { Principal, ProjectAccess } from '../auth/principal.ts';
import { isProjectAuth, type AnyRoute } from '../routes/defineRoute.ts';
import { HttpError } from './errors.ts';

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : `${out}${out ? '.' : ''}${String(p)}`), '');

/** Parses one request part; a failure is a 400 naming the part and the field (shared with the /collect fast path). */
export function parsePart(schema: z.ZodType | undefined, value: unknown, part: 'params' | 'query' | 'body'): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = formatPath(issue?.path ?? []);
  throw new HttpError(400, `invalid_${part}`, `${part}${field ? `.${field}` : ''}: ${issue?.message ?? 'invalid'}`, {
    field: field || part,
  });
}

/**
 * Mounts every registry route: path params → who is calling → may they → query and body → handler → respond.
 * Authorization comes before the query and body are validated, so an outsider learns nothing from validation errors.
 */
export function mountRoutes(app: Express, routes: readonly AnyRoute[], deps: AppDeps): void {
  const json = express.json({ limit: '256kb' });
  for (const route of routes) {
    // Only routes with a JSON body schema parse JSON; raw routes (/collect) read the stream themselves.
    const parsers = route.body && route.body !== 'raw' ? [json] : [];
    app[route.method](route.path, ...parsers, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const params = parsePart(route.params, req.params, 'params');
        let principal: Principal | null = null;
        let access: ProjectAccess | null = null;
        if (route.auth !== 'public' && route.auth !== 'ingest') {
          principal = await authenticate(req, deps.db.sql);
          checkCsrf(req, principal);
          if (route.auth === 'user' && principal.kind !== 'user') {
            throw new HttpError(403, 'forbidden', 'this route acts on a person\'s account: log in; API tokens cannot call it');
          }
          if (isProjectAuth(route.auth)) {
            access = await authorizeProject(deps.db.sql, principal, (params as { projectId?: unknown }).projectId, route.auth);
          }
        }
        const query = parsePart(route.query, req.query, 'query');
        const body = route.body === 'raw' ? undefined : parsePart(route.body, req.body, 'body');
        const result = await route.handler({ params, query, body, principal, access, deps, req, res });
        if (res.headersSent) return;
        if (result === undefined) {
          // No-content routes just return; any other route returning nothing has answered by itself.
          if (route.status === 204) res.status(204).end();
          return;
        }
        res.status(route.status ?? 200);
        if (route.produces && typeof result === 'string') res.type(route.produces).send(result);
        else res.json(result);
      } catch (err) {
        next(err);
      }
    });
  }
}

/** Routes Express has mounted, as `METHOD path` (used by the test that keeps the registry complete). */
export function mountedRoutes(app: Express): string[] {
  const out: string[] = [];
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } })
    .router.stack;
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on) out.push(`${method.toUpperCase()} ${layer.route.path}`);
  }
  return out;
}
