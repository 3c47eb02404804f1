import type { SqlRunner } from '@loupe/prisma/sql';
import type { ProjectAccess } from '../auth/principal.ts';
import { HttpError } from '../http/errors.ts';

type Role = 'admin' | 'member';

const LAST_ADMIN = (): HttpError =>
  new HttpError(409, 'last_admin', 'a project needs at least one admin: make someone else an admin first (or delete the project)');

/** Locks the project's memberships so concurrent role changes cannot leave it without an admin. */
async function lockMembers(tx: SqlRunner, projectId: string): Promise<Map<string, Role>> {
  const rows = await tx.query<{ user_id: string; role: Role }>(
    `SELECT user_id, role FROM memberships WHERE project_id = $1 ORDER BY user_id FOR UPDATE`,
    [projectId],
  );
  return new Map(rows.map((r) => [r.user_id, r.role]));
}

const adminCount = (members: Map<string, Role>): number => [...members.values()].filter((r) => r === 'admin').length;

/** Sets a member's role (admins only, checked by the route). The last admin cannot be demoted, not even by themselves. */
export async function changeMemberRole(sql: SqlRunner, projectId: string, userId: string, role: Role): Promise<{ userId: string; role: Role }> {
  return sql.transaction(async (tx) => {
    const members = await lockMembers(tx, projectId);
    const current = members.get(userId);
    if (!current) throw new HttpError(404, 'member_not_found', 'this person is not a member of the project');
    if (current === 'admin' && role === 'member' && adminCount(members) === 1) throw LAST_ADMIN();
    await tx.query(`UPDATE memberships SET role = $3 WHERE project_id = $1 AND user_id = $2`, [projectId, userId, role]);
    return { userId, role };
  });
}

/**
 * Removes a member: admins may remove anyone, members only themselves (leaving). The last admin can neither leave
 * nor be removed. Their API tokens stop working for the project at once (tokens act with their creator's role).
 */
export async function removeMember(sql: SqlRunner, access: ProjectAccess, actorUserId: string | null, userId: string): Promise<void> {
  if (access.role !== 'admin' && actorUserId !== userId) {
    throw new HttpError(403, 'forbidden', 'only project admins may remove other members');
  }
  await sql.transaction(async (tx) => {
    const members = await lockMembers(tx, access.projectId);
    const current = members.get(userId);
    if (!current) throw new HttpError(404, 'member_not_found', 'this person is not a member of the project');
    if (current === 'admin' && adminCount(members) === 1) throw LAST_ADMIN();
    await tx.query(`DELETE FROM memberships WHERE project_id = $1 AND user_id = $2`, [access.projectId, userId]);
  });
}
