import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';

export const memberView = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'member']),
  joinedAt: z.string(),
});

/** A project's members, admins first. */
export async function listMembers(sql: SqlRunner, projectId: string): Promise<z.infer<typeof memberView>[]> {
  const rows = await sql.query<{ user_id: string; email: string; name: string; role: 'admin' | 'member'; created_at: Date }>(
    `SELECT m.user_id, u.email, u.name, m.role, m.created_at
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.project_id = $1 ORDER BY m.role, u.email`,
    [projectId],
  );
  return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, role: r.role, joinedAt: new Date(r.created_at).toISOString() }));
}
