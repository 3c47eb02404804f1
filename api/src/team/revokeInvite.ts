import type { SqlRunner } from '@loupe/prisma/sql';
import { HttpError } from '../http/errors.ts';

/** Withdraws a pending invite of the project; its link stops working. Idempotent for an already withdrawn invite. */
export async function revokeInvite(sql: SqlRunner, projectId: string, inviteId: string): Promise<void> {
  const [row] = await sql.query<{ accepted: boolean }>(
    `UPDATE invites SET revoked_at = coalesce(revoked_at, now())
      WHERE id = $1 AND project_id = $2 AND accepted_at IS NULL RETURNING true AS accepted`,
    [inviteId, projectId],
  );
  if (!row) throw new HttpError(404, 'invite_not_found', 'no such pending invite in this project');
}
