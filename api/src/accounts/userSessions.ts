import type { SqlRunner } from '@loupe/prisma/sql';
import { newSecret, sha256Hex } from '../auth/apiTokens.ts';
import type { UserPrincipal } from '../auth/principal.ts';

/** A log-in lasts at most 90 days, and ends after 14 days without use. */
export const SESSION_MAX_DAYS = 90;
export const SESSION_IDLE_DAYS = 14;

export interface NewUserSession {
  /** Goes into the cookie; only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createUserSession(sql: SqlRunner, userId: string, userAgent: string | undefined): Promise<NewUserSession> {
  const token = newSecret();
  const csrfToken = newSecret(24);
  const [row] = await sql.query<{ expires_at: Date }>(
    `INSERT INTO user_sessions (id, user_id, csrf_token, expires_at, user_agent)
     VALUES ($1, $2, $3, now() + make_interval(days => $4), $5) RETURNING expires_at`,
    [sha256Hex(token), userId, csrfToken, SESSION_MAX_DAYS, userAgent?.slice(0, 300) ?? null],
  );
  return { token, csrfToken, expiresAt: new Date(row!.expires_at) };
}

/** The principal behind a session cookie, or null when it is unknown, expired or idle too long. */
export async function resolveUserSession(sql: SqlRunner, token: string): Promise<UserPrincipal | null> {
  if (token.length > 100) return null;
  const id = sha256Hex(token);
  const [row] = await sql.query<{ user_id: string; email: string; csrf_token: string; stale: boolean }>(
    `SELECT s.user_id, u.email, s.csrf_token, s.last_seen_at < now() - interval '5 minutes' AS stale
       FROM user_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(days => $2)`,
    [id, SESSION_IDLE_DAYS],
  );
  if (!row) return null;
  // Touch at most every 5 minutes: the idle timeout needs minute precision at most, not a write per request.
  if (row.stale) await sql.query(`UPDATE user_sessions SET last_seen_at = now() WHERE id = $1`, [id]);
  return { kind: 'user', userId: row.user_id, email: row.email, sessionId: id, csrfToken: row.csrf_token };
}

export async function deleteUserSession(sql: SqlRunner, sessionId: string): Promise<void> {
  await sql.query(`DELETE FROM user_sessions WHERE id = $1`, [sessionId]);
}
