import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { emailSchema } from '../accounts/emailAddress.ts';
import { newId, newSecret, sha256Hex } from '../auth/apiTokens.ts';
import { HttpError } from '../http/errors.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import { inviteMail } from '../mail/templates.ts';

export const INVITE_VALID_DAYS = 7;
/** Pending invites a project may have at once (Clarity's limit, kept: it stops a project being used to spam). */
export const MAX_PENDING_INVITES = 10;

export const roleSchema = z.enum(['admin', 'member']);
export const createInviteBody = z.object({ email: emailSchema, role: roleSchema.default('member') });

export const inviteView = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type InviteView = z.infer<typeof inviteView>;

interface Inviter {
  userId: string | null;
  label: string;
}

/**
 * Invites an e-mail address to a project. Inviting an address again replaces its pending invite (new link, new
 * expiry); more than MAX_PENDING_INVITES pending invites is refused with 409. The project row is locked while
 * counting, so two admins inviting at once cannot exceed the limit.
 */
export async function createInvite(
  sql: SqlRunner,
  mailer: Mailer,
  logger: Logger,
  input: { projectId: string; email: string; role: 'admin' | 'member'; inviter: Inviter; appUrl: string },
): Promise<InviteView> {
  const token = newSecret();
  const { invite, projectName } = await sql.transaction(async (tx) => {
    const [project] = await tx.query<{ name: string }>(`SELECT name FROM projects WHERE id = $1 FOR UPDATE`, [input.projectId]);
    if (!project) throw new HttpError(404, 'not_found', 'no such project');
    const [member] = await tx.query(
      `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.project_id = $1 AND u.email = $2`,
      [input.projectId, input.email],
    );
    if (member) throw new HttpError(409, 'already_member', `${input.email} is already a member of this project`);
    await tx.query(
      `UPDATE invites SET revoked_at = now()
        WHERE project_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [input.projectId, input.email],
    );
    const [pending] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM invites
        WHERE project_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
      [input.projectId],
    );
    if ((pending?.n ?? 0) >= MAX_PENDING_INVITES) {
      throw new HttpError(
        409,
        'invite_limit',
        `a project can have at most ${MAX_PENDING_INVITES} pending invites; revoke one or wait until one is accepted or expires`,
        { pending: pending?.n ?? 0, limit: MAX_PENDING_INVITES },
      );
    }
    const [row] = await tx.query<{ id: string; email: string; role: 'admin' | 'member'; created_at: Date; expires_at: Date }>(
      `INSERT INTO invites (id, project_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))
       RETURNING id, email, role, created_at, expires_at`,
      [newId('inv_'), input.projectId, input.email, input.role, sha256Hex(token), input.inviter.userId, INVITE_VALID_DAYS],
    );
    return { invite: row!, projectName: project.name };
  });
  const link = `${input.appUrl}/app/accept-invite?token=${encodeURIComponent(token)}`;
  try {
    await mailer.send(inviteMail(input.email, projectName, input.inviter.label, input.role, link, INVITE_VALID_DAYS));
  } catch (err) {
    // An invite nobody received would only use up one of the ten slots.
    await sql.query(`UPDATE invites SET revoked_at = now() WHERE id = $1`, [invite.id]);
    logger.error({ err, inviteId: invite.id }, 'sending an invite failed');
    throw new HttpError(502, 'mail_failed', 'the invite e-mail could not be sent; the invite was withdrawn, try again later');
  }
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role,
    createdAt: new Date(invite.created_at).toISOString(),
    expiresAt: new Date(invite.expires_at).toISOString(),
  };
}
