import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { obscureEmail } from '../accounts/emailAddress.ts';
import { sha256Hex } from '../auth/apiTokens.ts';
import type { UserPrincipal } from '../auth/principal.ts';
import { HttpError } from '../http/errors.ts';

export const acceptInviteBody = z.object({ token: z.string().min(20).max(100) });
export const acceptedInviteView = z.object({ projectId: z.string(), role: z.enum(['admin', 'member']) });

interface InviteRow {
  id: string;
  project_id: string;
  email: string;
  role: 'admin' | 'member';
  expired: boolean;
  accepted_by: string | null;
  revoked: boolean;
}

/**
 * Joins the logged-in user to the invite's project. The invite must be addressed to that user's e-mail; accepting
 * twice is harmless; a used, withdrawn or expired link gets 410 and changes nothing.
 */
export async function acceptInvite(sql: SqlRunner, token: string, user: UserPrincipal): Promise<z.infer<typeof acceptedInviteView>> {
  return sql.transaction(async (tx) => {
    const [invite] = await tx.query<InviteRow>(
      `SELECT id, project_id, email, role, expires_at <= now() AS expired, accepted_by, revoked_at IS NOT NULL AS revoked
         FROM invites WHERE token_hash = $1 FOR UPDATE`,
      [sha256Hex(token)],
    );
    if (!invite) throw new HttpError(404, 'invite_not_found', 'this invite link is not valid');
    if (invite.accepted_by === user.userId) return { projectId: invite.project_id, role: invite.role };
    if (invite.accepted_by) throw new HttpError(410, 'invite_used', 'this invite has already been accepted');
    if (invite.revoked) throw new HttpError(410, 'invite_revoked', 'this invite was withdrawn or replaced by a newer one');
    if (invite.expired) throw new HttpError(410, 'invite_expired', 'this invite has expired; ask an admin of the project for a new one');
    if (invite.email !== user.email) {
      throw new HttpError(
        403,
        'invite_wrong_account',
        `this invite was sent to ${obscureEmail(invite.email)}, but you are logged in as ${user.email}; log in with the invited address`,
      );
    }
    // Already a member (e.g. added through another invite): keep the existing role rather than silently changing it.
    await tx.query(
      `INSERT INTO memberships (project_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (project_id, user_id) DO NOTHING`,
      [invite.project_id, user.userId, invite.role],
    );
    await tx.query(`UPDATE invites SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [invite.id, user.userId]);
    const [m] = await tx.query<{ role: 'admin' | 'member' }>(
      `SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2`,
      [invite.project_id, user.userId],
    );
    return { projectId: invite.project_id, role: m!.role };
  });
}
