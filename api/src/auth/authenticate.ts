import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { SqlRunner } from '@loupe/prisma/sql';
import { resolveUserSession } from '../accounts/userSessions.ts';
import { HttpError } from '../http/errors.ts';
import { hashApiToken, looksLikeApiToken } from './apiTokens.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import type { Principal, TokenPrincipal, UserPrincipal } from './principal.ts';
import { scopeSchema } from './scopes.ts';

/**
 * Resolves the caller: an `Authorization: Bearer lpt_…` API token, else the session cookie. 401 when neither is
 * present or valid. A bearer header wins, so programs never depend on cookies.
 */
export async function authenticate(req: Request, sql: SqlRunner): Promise<Principal> {
  const header = req.headers.authorization;
  if (header) return authenticateToken(header, sql);
  const cookie = readCookie(req, SESSION_COOKIE);
  if (cookie) {
    const user = await resolveUserSession(sql, cookie);
    if (user) return user;
    throw new HttpError(401, 'unauthenticated', 'your session has expired; log in again');
  }
  throw new HttpError(401, 'unauthenticated', 'log in, or send an API token as "Authorization: Bearer <token>"');
}

async function authenticateToken(header: string, sql: SqlRunner): Promise<TokenPrincipal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new HttpError(401, 'unauthenticated', 'send an API token as "Authorization: Bearer <token>"');
  const token = match[1];
  if (!looksLikeApiToken(token)) throw new HttpError(401, 'unauthenticated', 'the API token is malformed');
  const [row] = await sql.query<{ id: string; created_by: string | null; scopes: string[] | null; project_ids: string[] | null }>(
    `UPDATE api_tokens t SET last_used_at = now()
      WHERE token_hash = $1 AND revoked_at IS NULL
      RETURNING id, created_by, scopes,
        ARRAY(SELECT project_id FROM api_token_projects p WHERE p.token_id = t.id) AS project_ids`,
    [hashApiToken(token)],
  );
  if (!row) throw new HttpError(401, 'unauthenticated', 'the API token is unknown or revoked');
  const scopes = (row.scopes ?? []).flatMap((s) => {
    const parsed = scopeSchema.safeParse(s);
    return parsed.success ? [parsed.data] : [];
  });
  return { kind: 'apiToken', tokenId: row.id, createdBy: row.created_by, scopes, projectIds: row.project_ids ?? [] };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must carry the session's CSRF token in `X-CSRF-Token`. Another site can make a
 * browser send our cookie (top-level POST under SameSite=Lax in old browsers, or from a sibling subdomain), but it
 * can neither read the token nor set a custom header without our CORS consent.
 */
export function checkCsrf(req: Request, principal: Principal): void {
  if (principal.kind !== 'user' || SAFE_METHODS.has(req.method)) return;
  const sent = req.get('x-csrf-token') ?? '';
  const expected = principal.csrfToken;
  const ok = sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (!ok) throw new HttpError(403, 'csrf_failed', 'missing or wrong X-CSRF-Token header (GET /api/auth/me returns it)');
}

/** The logged-in user of a `user` route (the registry guarantees one; this narrows the type). */
export function userOf(principal: Principal | null): UserPrincipal {
  if (principal?.kind !== 'user') throw new HttpError(401, 'unauthenticated', 'log in first');
  return principal;
}
