import { publicUrl } from '../config.ts';
import { buildOpenApi } from '../http/openapi.ts';
import { renderApiDocs } from '../http/renderApiDocs.ts';
import { defineRoute } from './defineRoute.ts';
import { routes } from './index.ts';

export const openApiRoute = defineRoute({
  method: 'get',
  path: '/openapi.json',
  summary: 'This API described as OpenAPI 3.1, generated from the route registry.',
  tag: 'operations',
  auth: 'public',
  async handler({ deps }) {
    return buildOpenApi(routes, publicUrl(deps.config));
  },
});

export const docsRoute = defineRoute({
  method: 'get',
  path: '/docs',
  summary: 'A readable page of every API route.',
  tag: 'operations',
  auth: 'public',
  produces: 'text/html',
  async handler({ deps }) {
    return renderApiDocs(buildOpenApi(routes, publicUrl(deps.config)));
  },
});
