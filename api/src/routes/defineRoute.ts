/**
 * The typed route registry's building block. Every API route is declared once with `defineRoute`; Express routing,
 * input parsing, authorization and the OpenAPI document are generated from these declarations.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../appDeps.ts';
import type { Principal, ProjectAccess } from '../auth/principal.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

/** Route kinds that act on the project named by the `:projectId` path parameter. */
export type ProjectRouteAuth = 'projectRead' | 'projectWrite' | 'projectAdmin' | 'projectEvents';

/**
 * Who may call a route (enforced by `http/mountRoutes.ts`, documented in OpenAPI, and enumerated by the tenancy test):
 * - `public`: anyone (health, docs, log-in, tracker assets);
 * - `ingest`: browsers with a project's public key in the payload (checked by the use case against allowed origins);
 * - `user`: a logged-in person (session cookie), acting on their own account;
 * - `projectRead`: members and admins of the `:projectId` project, and its API tokens with `read` or `write`;
 * - `projectWrite`: its admins, and its API tokens with `write` whose creator is an admin;
 * - `projectAdmin`: its admins, logged in (team, tokens, ingest keys, deletion: never a token);
 * - `projectEvents`: its API tokens with `events` and its admins (server-side events from platform integrations).
 */
export type RouteAuth = 'public' | 'ingest' | 'user' | ProjectRouteAuth;

export const isProjectAuth = (auth: RouteAuth): auth is ProjectRouteAuth => auth.startsWith('project');

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal | null;
  /** Set on project routes: the caller's role in `params.projectId`. */
  access: ProjectAccess | null;
  deps: AppDeps;
  req: Request;
  res: Response;
}

/**
 * A handler returns the JSON body (status 200 unless `status` is set), or `undefined`: an empty answer on `status: 204`
 * routes, otherwise it has responded itself.
 */
export interface RouteDef<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: HttpMethod;
  /** Express path syntax (`/api/projects/:projectId`). */
  path: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** A zod schema for JSON bodies, or `raw` when the handler reads the request stream itself. */
  body?: z.ZodType<B> | 'raw';
  /** Schema of the success body (documentation; validated in tests). */
  response?: z.ZodType<R>;
  /** Success status (default 200). */
  status?: number;
  /** Content type of the success body when it is not JSON. */
  produces?: string;
  /** Error statuses this route can answer with, for the OpenAPI document. */
  errors?: number[];
  handler: (ctx: RouteContext<P, Q, B>) => Promise<R | undefined>;
}

/** Declares a route; the generics tie the handler's arguments to the schemas. */
export function defineRoute<P extends Record<string, unknown> = Record<string, never>, Q = Record<string, never>, B = undefined, R = unknown>(
  def: RouteDef<P, Q, B, R>,
): RouteDef<P, Q, B, R> {
  return def;
}

/** Erased form for the registry list. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds routes of every type; each route is typed at its declaration
export type AnyRoute = RouteDef<any, any, any, any>;
export type { AnyObject };
