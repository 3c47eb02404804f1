import { z } from 'zod';
import type { AnyRoute, RouteAuth } from '../routes/defineRoute.ts';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input (the message names the field)',
  401: 'Not logged in, or a missing, unknown or revoked API token',
  403: 'Forbidden',
  404: 'Not found',
  413: 'Payload too large',
  415: 'Unsupported media type or encoding',
  429: 'Rate limited (see Retry-After)',
  503: 'Not ready',
};

/** Builds the OpenAPI 3.1 document from the route registry. */
const SECURITY: Record<RouteAuth, JsonSchema[]> = {
  public: [],
  ingest: [],
  user: [{ session: [] }],
  projectRead: [{ session: [] }, { apiToken: [] }],
  projectWrite: [{ session: [] }, { apiToken: [] }],
  projectAdmin: [{ session: [] }],
  projectEvents: [{ apiToken: [] }, { session: [] }],
};

const AUTH_TEXT: Record<RouteAuth, string> = {
  public: '',
  ingest: '',
  user: 'Needs a logged-in user.',
  projectRead: 'Members and admins of the project; API tokens with scope read or write.',
  projectWrite: 'Admins of the project; API tokens with scope write whose creator is an admin.',
  projectAdmin: 'Logged-in admins of the project only (no API tokens).',
  projectEvents: 'API tokens with scope events; admins of the project.',
};

export function buildOpenApi(routes: readonly AnyRoute[], serverUrl: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorSchema = { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' } } };
  for (const r of routes) {
    const parameters: JsonSchema[] = [];
    for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
      if (!schema) continue;
      const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: prop });
      }
    }
    const responses: Record<string, JsonSchema> = {
      [String(r.status ?? 200)]: r.response
        ? { description: 'Success', content: { [r.produces ?? 'application/json']: { schema: toSchema(r.response, 'output') } } }
        : { description: 'Success' },
    };
    for (const status of r.errors ?? []) {
      responses[String(status)] = { description: STATUS_TEXT[status] ?? 'Error', content: { 'application/json': { schema: errorSchema } } };
    }
    const op: JsonSchema = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${r.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters,
      responses,
      'x-loupe-auth': r.auth,
    };
    const security = SECURITY[r.auth];
    if (security.length) {
      op.security = security;
      op.description = AUTH_TEXT[r.auth];
    }
    if (r.body === 'raw') {
      op.requestBody = {
        required: true,
        description: 'A wire batch (see packages/contract): JSON, optionally gzip/deflate compressed.',
        content: { 'application/json': {}, 'text/plain': {}, 'application/octet-stream': {} },
      };
    } else if (r.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } };
    }
    (paths[toOpenApiPath(r.path)] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Loupe API', version: '0.1.0', description: 'Behaviour analytics for online stores.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: 'API token (lpt_…), scoped to projects with read/write/events scopes' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'loupe_session',
          description: 'Log-in cookie from POST /api/auth/login; writes also need the X-CSRF-Token header (from GET /api/auth/me)',
        },
      },
    },
    paths,
  };
}
