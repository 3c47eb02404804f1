import type { SqlRunner } from '@loupe/prisma/sql';
import { HttpError } from '../http/errors.ts';

/**
 * Fixed-window counters in PostgreSQL, so every api replica enforces the same limits. Used for log-in, sign-up
 * and password-reset requests, whose rate is low enough that a row update per attempt costs nothing.
 */
export interface ThrottleRule {
  key: string;
  max: number;
  windowSeconds: number;
  /** Shown in the 429 message: what was attempted too often. */
  what: string;
}

interface Row {
  count: number;
  retry_after: number;
}

/** Counts one attempt; 429 with Retry-After once the window holds more than `max`. */
export async function hitThrottle(sql: SqlRunner, rule: ThrottleRule): Promise<void> {
  const [row] = await sql.query<Row>(
    `INSERT INTO auth_throttle (key, window_start, count) VALUES ($1, now(), 1)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN auth_throttle.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE auth_throttle.count + 1 END,
       window_start = CASE WHEN auth_throttle.window_start <= now() - make_interval(secs => $2) THEN now() ELSE auth_throttle.window_start END
     RETURNING count, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::int AS retry_after`,
    [rule.key, rule.windowSeconds],
  );
  if (row && row.count > rule.max) tooMany(rule, row.retry_after);
}

/** Refuses when the window already holds `max` attempts, without counting this one. */
export async function checkThrottle(sql: SqlRunner, rule: ThrottleRule): Promise<void> {
  const [row] = await sql.query<Row>(
    `SELECT count, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::int AS retry_after
       FROM auth_throttle WHERE key = $1 AND window_start > now() - make_interval(secs => $2)`,
    [rule.key, rule.windowSeconds],
  );
  if (row && row.count >= rule.max) tooMany(rule, row.retry_after);
}

export async function clearThrottle(sql: SqlRunner, key: string): Promise<void> {
  await sql.query(`DELETE FROM auth_throttle WHERE key = $1`, [key]);
}

/** Drops windows that ended long ago (called now and then by `logIn`). */
export async function pruneThrottle(sql: SqlRunner): Promise<void> {
  await sql.query(`DELETE FROM auth_throttle WHERE window_start < now() - interval '1 day'`);
}

function tooMany(rule: ThrottleRule, retryAfter: number): never {
  const seconds = Math.max(1, retryAfter);
  throw new HttpError(
    429,
    'too_many_attempts',
    `too many ${rule.what}; try again in ${Math.ceil(seconds / 60)} minute(s)`,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}
