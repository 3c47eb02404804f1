import type { SqlRunner } from '@loupe/prisma/sql';
import { HttpError } from '../http/errors.ts';
import type { ProjectRouteAuth } from '../routes/defineRoute.ts';
import type { Principal, ProjectAccess } from './principal.ts';
import type { Scope } from './scopes.ts';

const NOT_FOUND = (): HttpError => new HttpError(404, 'not_found', 'no such project');

/** Scopes a token needs for each project route kind; `projectAdmin` routes are never open to tokens. */
const TOKEN_SCOPES: Record<ProjectRouteAuth, readonly Scope[]> = {
  projectRead: ['read', 'write'],
  projectWrite: ['write'],
  projectEvents: ['events'],
  projectAdmin: [],
};

const WHAT: Record<ProjectRouteAuth, string> = {
  projectRead: 'read this project',
  projectWrite: 'change this project',
  projectEvents: 'send events to this project',
  projectAdmin: 'manage this project',
};

/**
 * Establishes what the caller may do in the project named by the URL. The id is never trusted: a caller without
 * access gets 404, the same as for a project that does not exist, so ids cannot be probed. A caller who can see
 * the project but lacks the role (a member on an admin route, a token without the scope) gets 403.
 */
export async function authorizeProject(
  sql: SqlRunner,
  principal: Principal,
  projectId: unknown,
  need: ProjectRouteAuth,
): Promise<ProjectAccess> {
  if (typeof projectId !== 'string') throw NOT_FOUND();
  if (principal.kind === 'user') {
    const role = await roleOf(sql, projectId, principal.userId);
    if (!role) throw NOT_FOUND();
    const allowed = need === 'projectRead' ? true : role === 'admin';
    if (!allowed) throw new HttpError(403, 'forbidden', `only project admins may ${WHAT[need]}`);
    return { projectId, role, via: 'user' };
  }
  if (!principal.projectIds.includes(projectId)) throw NOT_FOUND();
  // A token acts with its creator's current role: removing or demoting a person disarms the tokens they made.
  const role = principal.createdBy === null ? 'admin' : await roleOf(sql, projectId, principal.createdBy);
  if (!role) throw NOT_FOUND();
  if (need === 'projectAdmin') throw new HttpError(403, 'forbidden', `API tokens may not ${WHAT[need]}; log in as an admin`);
  if (!TOKEN_SCOPES[need].some((s) => principal.scopes.includes(s))) {
    throw new HttpError(403, 'forbidden', `this API token lacks the scope to ${WHAT[need]} (needs ${TOKEN_SCOPES[need].join(' or ')})`);
  }
  if (need === 'projectWrite' && role !== 'admin') {
    throw new HttpError(403, 'forbidden', `this API token's creator is no longer an admin of the project`);
  }
  return { projectId, role, via: 'apiToken' };
}

async function roleOf(sql: SqlRunner, projectId: string, userId: string): Promise<'admin' | 'member' | null> {
  const [row] = await sql.query<{ role: 'admin' | 'member' }>(
    `SELECT m.role FROM memberships m JOIN projects p ON p.id = m.project_id
      WHERE m.project_id = $1 AND m.user_id = $2`,
    [projectId, userId],
  );
  return row?.role ?? null;
}
