import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { newSecret, sha256Hex } from '../auth/apiTokens.ts';
import { HttpError } from '../http/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import { passwordResetMail } from '../mail/templates.ts';
import { emailSchema } from './emailAddress.ts';
import { hashPassword, passwordSchema } from './passwords.ts';
import { hitThrottle } from './throttle.ts';

export const RESET_VALID_MINUTES = 60;

export const requestResetBody = z.object({ email: emailSchema });
export const confirmResetBody = z.object({ token: z.string().min(20).max(100), password: passwordSchema });

/**
 * E-mails a one-time reset link when the address has an account. The caller answers the same either way, so the
 * endpoint does not reveal who has an account; requests are limited per address and per IP.
 */
export async function requestPasswordReset(
  sql: SqlRunner,
  mailer: Mailer,
  email: string,
  ip: string,
  appUrl: string,
  maxPerIp: number,
): Promise<void> {
  await hitThrottle(sql, { key: `reset:ip:${ip}`, max: maxPerIp, windowSeconds: 3600, what: 'password-reset requests from this address' });
  await hitThrottle(sql, { key: `reset:email:${email}`, max: 5, windowSeconds: 3600, what: 'password-reset requests for this account' });
  const [user] = await sql.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  if (!user) return;
  const token = newSecret();
  await sql.query(
    `INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))`,
    [sha256Hex(token), user.id, RESET_VALID_MINUTES],
  );
  const link = `${appUrl}/app/reset-password?token=${encodeURIComponent(token)}`;
  await mailer.send(passwordResetMail(email, link, RESET_VALID_MINUTES));
}

/** Sets a new password from a reset token; the token and every other open reset die, and every log-in ends. */
export async function resetPassword(sql: SqlRunner, token: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const done = await sql.transaction(async (tx) => {
    const [reset] = await tx.query<{ user_id: string }>(
      `UPDATE password_resets SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [sha256Hex(token)],
    );
    if (!reset) return false;
    await tx.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [reset.user_id, passwordHash]);
    await tx.query(`UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [reset.user_id]);
    await tx.query(`DELETE FROM user_sessions WHERE user_id = $1`, [reset.user_id]);
    await tx.query(`DELETE FROM auth_throttle WHERE key = 'login:email:' || (SELECT email FROM users WHERE id = $1)`, [reset.user_id]);
    return true;
  });
  if (!done) throw new HttpError(400, 'invalid_reset_token', 'this reset link is invalid, used or expired; ask for a new one');
}
