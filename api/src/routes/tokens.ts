import { z } from 'zod';
import { apiTokenView, listApiTokens } from '../queries/listApiTokens.ts';
import { issueApiToken, issuedTokenView, issueTokenBody } from '../tokens/issueApiToken.ts';
import { revokeOwnApiToken, revokeProjectApiToken } from '../tokens/revokeApiToken.ts';
import { userOf } from '../auth/authenticate.ts';
import { defineRoute } from './defineRoute.ts';
import { projectParams } from './projects.ts';

const tokenParams = z.object({ tokenId: z.string().min(1).max(64) });

export const issueTokenRoute = defineRoute({
  method: 'post',
  path: '/api/tokens',
  summary: 'Create an API token for projects you administer, with scopes read / write / events; the secret is shown once.',
  tag: 'tokens',
  auth: 'user',
  body: issueTokenBody,
  response: issuedTokenView,
  status: 201,
  errors: [400, 401, 403, 404],
  async handler({ body, principal, deps }) {
    const user = userOf(principal);
    return issueApiToken(deps.db.sql, user.userId, body);
  },
});

export const listOwnTokensRoute = defineRoute({
  method: 'get',
  path: '/api/tokens',
  summary: 'Active API tokens you created.',
  tag: 'tokens',
  auth: 'user',
  response: z.object({ tokens: z.array(apiTokenView) }),
  errors: [401, 403],
  async handler({ principal, deps }) {
    const user = userOf(principal);
    return { tokens: await listApiTokens(deps.db.sql, 'user', user.userId) };
  },
});

export const revokeOwnTokenRoute = defineRoute({
  method: 'delete',
  path: '/api/tokens/:tokenId',
  summary: 'Revoke an API token you created (every project it reached).',
  tag: 'tokens',
  auth: 'user',
  params: tokenParams,
  status: 204,
  errors: [401, 403, 404],
  async handler({ params, principal, deps }) {
    const user = userOf(principal);
    await revokeOwnApiToken(deps.db.sql, user.userId, params.tokenId);
    return undefined;
  },
});

export const listProjectTokensRoute = defineRoute({
  method: 'get',
  path: '/api/projects/:projectId/tokens',
  summary: 'Active API tokens that reach this project (admins).',
  tag: 'tokens',
  auth: 'projectAdmin',
  params: projectParams,
  response: z.object({ tokens: z.array(apiTokenView) }),
  errors: [401, 403, 404],
  async handler({ params, deps }) {
    return { tokens: await listApiTokens(deps.db.sql, 'project', params.projectId) };
  },
});

export const revokeProjectTokenRoute = defineRoute({
  method: 'delete',
  path: '/api/projects/:projectId/tokens/:tokenId',
  summary: "Cut an API token off from this project (admins); a token left without projects is revoked.",
  tag: 'tokens',
  auth: 'projectAdmin',
  params: projectParams.extend(tokenParams.shape),
  status: 204,
  errors: [401, 403, 404],
  async handler({ params, deps }) {
    await revokeProjectApiToken(deps.db.sql, params.projectId, params.tokenId);
    return undefined;
  },
});

export const tokenRoutes = [issueTokenRoute, listOwnTokensRoute, revokeOwnTokenRoute, listProjectTokensRoute, revokeProjectTokenRoute];
