import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'lpt_';

/** A new secret token (shown once) and the hash that is stored. */
export function newApiToken(): { token: string; hash: string } {
  const token = PREFIX + randomBytes(24).toString('base64url');
  return { token, hash: hashApiToken(token) };
}

/** Tokens carry 192 random bits, so an unsalted SHA-256 is enough to make the stored value useless to a thief. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const looksLikeApiToken = (value: string): boolean => value.startsWith(PREFIX) && value.length < 200;
