import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import { emailSchema } from './emailAddress.ts';
import { verifyPassword } from './passwords.ts';
import type { UserView } from './signUp.ts';
import { checkThrottle, clearThrottle, hitThrottle, pruneThrottle } from './throttle.ts';

export const logInBody = z.object({ email: emailSchema, password: z.string().max(256) });
export type LogInInput = z.infer<typeof logInBody>;

export interface LogInLimits {
  maxFailuresPerEmail: number;
  maxAttemptsPerIp: number;
}

const WINDOW = 15 * 60;

/**
 * Checks e-mail and password. Failures per e-mail and attempts per IP are limited per 15 minutes, so neither
 * one account nor many accounts from one place can be guessed at speed; a success clears the e-mail's count.
 */
export async function logIn(sql: SqlRunner, input: LogInInput, ip: string, limits: LogInLimits): Promise<UserView> {
  const emailRule = { key: `login:email:${input.email}`, max: limits.maxFailuresPerEmail, windowSeconds: WINDOW, what: 'failed log-ins for this account' };
  await checkThrottle(sql, emailRule);
  await hitThrottle(sql, { key: `login:ip:${ip}`, max: limits.maxAttemptsPerIp, windowSeconds: WINDOW, what: 'log-in attempts from this address' });
  const [user] = await sql.query<{ id: string; email: string; name: string; password_hash: string; created_at: Date }>(
    `SELECT id, email, name, password_hash, created_at FROM users WHERE email = $1`,
    [input.email],
  );
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!ok || !user) {
    await hitThrottle(sql, { ...emailRule, max: Number.MAX_SAFE_INTEGER });
    throw new HttpError(401, 'invalid_credentials', 'the e-mail address or the password is wrong');
  }
  await clearThrottle(sql, emailRule.key);
  if (Math.random() < 0.01) await pruneThrottle(sql);
  return { id: user.id, email: user.email, name: user.name, createdAt: new Date(user.created_at).toISOString() };
}
