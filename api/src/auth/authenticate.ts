import type { Request } from 'express';
import type { SqlRunner } from '@loupe/prisma/sql';
import { HttpError } from '../http/errors.ts';
import { hashApiToken, looksLikeApiToken } from './apiTokens.ts';
import type { Principal } from './principal.ts';

/** Resolves the bearer token of a request to a principal; 401 when it is missing, unknown or revoked. */
export async function authenticate(req: Request, sql: SqlRunner): Promise<Principal> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new HttpError(401, 'unauthenticated', 'send an API token as "Authorization: Bearer <token>"');
  const token = match[1];
  if (!looksLikeApiToken(token)) throw new HttpError(401, 'unauthenticated', 'the API token is malformed');
  const [row] = await sql.query<{ id: string; project_id: string }>(
    `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, project_id`,
    [hashApiToken(token)],
  );
  if (!row) throw new HttpError(401, 'unauthenticated', 'the API token is unknown or revoked');
  return { kind: 'apiToken', tokenId: row.id, projectIds: [row.project_id] };
}

/**
 * A project-scoped route never trusts the id in the URL: the principal must hold that project. An id it does not
 * hold gets 404, the same as a project that does not exist, so ids cannot be probed.
 */
export function authorizeProject(principal: Principal, projectId: unknown): void {
  if (typeof projectId !== 'string' || !principal.projectIds.includes(projectId)) {
    throw new HttpError(404, 'not_found', 'no such project');
  }
}
