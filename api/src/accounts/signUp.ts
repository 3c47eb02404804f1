import type { SqlRunner } from '@loupe/prisma/sql';
import { z } from 'zod';
import { newId } from '../auth/apiTokens.ts';
import { HttpError } from '../http/errors.ts';
import { emailSchema } from './emailAddress.ts';
import { hashPassword, passwordSchema } from './passwords.ts';
import { hitThrottle } from './throttle.ts';

export const signUpBody = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(200).optional(),
});
export type SignUpInput = z.infer<typeof signUpBody>;

export const userView = z.object({ id: z.string(), email: z.string(), name: z.string(), createdAt: z.string() });
export type UserView = z.infer<typeof userView>;

/** Creates an account; sign-ups per client IP per hour are limited to `maxPerIp`. */
export async function signUp(sql: SqlRunner, input: SignUpInput, ip: string, maxPerIp: number): Promise<UserView> {
  await hitThrottle(sql, { key: `signup:ip:${ip}`, max: maxPerIp, windowSeconds: 3600, what: 'sign-ups from this address' });
  if (input.password.toLowerCase() === input.email) throw new HttpError(400, 'weak_password', 'the password must not be the e-mail address');
  const passwordHash = await hashPassword(input.password);
  const [row] = await sql.query<{ id: string; email: string; name: string; created_at: Date }>(
    `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email) DO NOTHING RETURNING id, email, name, created_at`,
    [newId('usr_'), input.email, input.name ?? '', passwordHash],
  );
  if (!row) throw new HttpError(409, 'email_taken', 'an account with this e-mail address exists; log in or reset its password');
  return { id: row.id, email: row.email, name: row.name, createdAt: new Date(row.created_at).toISOString() };
}
