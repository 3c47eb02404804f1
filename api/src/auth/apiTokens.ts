import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'lpt_';

/** A new secret token (shown once) and the hash that is stored. */
export function newApiToken(): { token: string; hash: string } {
  const token = PREFIX + randomBytes(24).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

/** Secrets we mint carry ≥192 random bits, so an unsalted SHA-256 is enough to make the stored value useless to a thief. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const hashApiToken = sha256Hex;

export const looksLikeApiToken = (value: string): boolean => value.startsWith(PREFIX) && value.length < 200;

/** A random, URL-safe secret for cookies, reset links and invites. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** A prefixed random id (`usr_…`, `inv_…`). */
export const newId = (prefix: string, bytes = 12): string => prefix + randomBytes(bytes).toString('base64url');
