import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { scopeSchema } from '../auth/scopes.ts';

export const apiTokenView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(scopeSchema),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type ApiTokenView = z.infer<typeof apiTokenView>;

interface Row {
  id: string;
  name: string;
  scopes: string[] | null;
  creator_email: string | null;
  created_at: Date;
  last_used_at: Date | null;
}

const toView = (r: Row): ApiTokenView => ({
  id: r.id,
  name: r.name,
  scopes: (r.scopes ?? []).filter((s): s is z.infer<typeof scopeSchema> => scopeSchema.safeParse(s).success),
  createdBy: r.creator_email,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
});

/**
 * Active tokens: those reaching a project (`by: 'project'`, for its admins) or those a user created (`by: 'user'`).
 * Never the secret, which is not stored.
 */
export async function listApiTokens(sql: SqlRunner, by: 'project' | 'user', id: string): Promise<ApiTokenView[]> {
  const filter =
    by === 'project'
      ? `EXISTS (SELECT 1 FROM api_token_projects p WHERE p.token_id = t.id AND p.project_id = $1)`
      : `t.created_by = $1`;
  const rows = await sql.query<Row>(
    `SELECT t.id, t.name, t.scopes, u.email AS creator_email, t.created_at, t.last_used_at
       FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
      WHERE t.revoked_at IS NULL AND ${filter}
      ORDER BY t.created_at DESC`,
    [id],
  );
  return rows.map(toView);
}
