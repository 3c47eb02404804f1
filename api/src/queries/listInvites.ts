import type { SqlRunner } from '@loupe/prisma/sql';
import type { InviteView } from '../team/createInvite.ts';

/** A project's pending invites (not accepted, withdrawn or expired), newest first. */
export async function listInvites(sql: SqlRunner, projectId: string): Promise<InviteView[]> {
  const rows = await sql.query<{ id: string; email: string; role: 'admin' | 'member'; created_at: Date; expires_at: Date }>(
    `SELECT id, email, role, created_at, expires_at FROM invites
      WHERE project_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      ORDER BY created_at DESC`,
    [projectId],
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
  }));
}
