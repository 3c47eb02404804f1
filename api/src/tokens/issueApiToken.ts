import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { createApiToken } from '../projects/createApiToken.ts';
import { HttpError } from '../http/errors.ts';
import { scopeSchema } from '../auth/scopes.ts';

export const issueTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  projectIds: z.array(z.string().min(1).max(64)).min(1).max(100),
  scopes: z.array(scopeSchema).min(1).default(['read']),
});

export const issuedTokenView = z.object({
  id: z.string(),
  /** The secret: shown in this response only. */
  token: z.string(),
  name: z.string(),
  scopes: z.array(scopeSchema),
  projectIds: z.array(z.string()),
});

/**
 * Mints a token for projects the user administers. Projects they cannot see answer 404 like any unknown id;
 * projects where they are only a member answer 403.
 */
export async function issueApiToken(
  sql: SqlRunner,
  userId: string,
  input: z.infer<typeof issueTokenBody>,
): Promise<z.infer<typeof issuedTokenView>> {
  const projectIds = [...new Set(input.projectIds)];
  const scopes = [...new Set(input.scopes)];
  const rows = await sql.query<{ project_id: string; role: string }>(
    `SELECT project_id, role FROM memberships WHERE user_id = $1 AND project_id = ANY($2::text[])`,
    [userId, projectIds],
  );
  const roles = new Map(rows.map((r) => [r.project_id, r.role]));
  for (const id of projectIds) {
    const role = roles.get(id);
    if (!role) throw new HttpError(404, 'not_found', `no such project: ${id}`);
    if (role !== 'admin') throw new HttpError(403, 'forbidden', `only admins may create API tokens for project ${id}`);
  }
  const { id, token } = await createApiToken(sql, { name: input.name, projectIds, scopes, createdBy: userId });
  return { id, token, name: input.name, scopes, projectIds };
}
