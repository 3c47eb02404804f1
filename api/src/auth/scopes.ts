import { z } from 'zod';

/**
 * What an API token may do:
 * - `read`: every read route of its projects;
 * - `write`: settings and privacy operations (erase/export a visitor) — needs an admin creator;
 * - `events`: send server-side events (e.g. checkout steps from a platform webhook).
 * Team management, tokens, ingest-key rotation and project deletion need a logged-in admin, never a token.
 */
export const scopeSchema = z.enum(['read', 'write', 'events']);
export type Scope = z.infer<typeof scopeSchema>;
export const ALL_SCOPES: readonly Scope[] = scopeSchema.options;
