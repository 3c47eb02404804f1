import { createHash } from 'node:crypto';

/**
 * A stable client-id-shaped value (`<prefix><22 base64url chars>`) derived from a platform's own id, so the same
 * platform event or buyer always maps to the same Loupe id: resends and duplicates collapse in the inbox.
 */
export const derivedId = (prefix: string, value: string): string =>
  prefix + createHash('sha256').update(value).digest('base64url').slice(0, 22);
