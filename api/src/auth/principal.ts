import type { Scope } from './scopes.ts';

/** A person logged in with a session cookie. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  /** Stored id (hash) of the session, for log-out. */
  sessionId: string;
  /** Cookie-authenticated writes must echo this in `X-CSRF-Token`. */
  csrfToken: string;
}

/** A program holding an API token. */
export interface TokenPrincipal {
  kind: 'apiToken';
  tokenId: string;
  /** The user who created the token: it never reaches further than they can. Null for operator (CLI) tokens. */
  createdBy: string | null;
  scopes: readonly Scope[];
  /** Projects the token was issued for. */
  projectIds: readonly string[];
}

/** Who is calling. */
export type Principal = UserPrincipal | TokenPrincipal;

/** What a principal may do in one project, as established by `authorizeProject`. */
export interface ProjectAccess {
  projectId: string;
  /** The caller's role; tokens act with their creator's role (`admin` for operator tokens). */
  role: 'admin' | 'member';
  via: Principal['kind'];
}
