import { z } from 'zod';

/** E-mail addresses are compared and stored lower-cased and trimmed. */
export const emailSchema = z
  .string()
  .trim()
  .max(254, 'an e-mail address has at most 254 characters')
  .pipe(z.email('expected an e-mail address'))
  .transform((v) => v.toLowerCase());

/** `jane.doe@shop.example` → `j***@shop.example`, for messages shown to someone who is not that person. */
export function obscureEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
