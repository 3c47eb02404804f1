import type { SqlRunner } from '@loupe/prisma/sql';
import { RE2JS } from 're2js';
import { HttpError } from '../http/errors.ts';

/** Distinct URLs a regex is matched against at most; beyond that the filter asks for a narrower range. */
export const MAX_DISTINCT_URLS = 200_000;

/**
 * URL regex filters never run a user's regex inside the database or with a backtracking engine: the pattern is
 * compiled with RE2 (linear time) and matched here against the project's distinct normalised URLs of the range;
 * the SQL filter then compares URLs by equality. The DISTINCT itself runs under a statement timeout.
 */
export async function resolveUrlRegex(
  sql: SqlRunner,
  projectId: string,
  pattern: string,
  from: string,
  to: string,
  timeZone: string,
): Promise<string[]> {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    throw new HttpError(400, 'invalid_query', `query.url: not a valid RE2 regular expression: ${(err as Error).message}`, { field: 'url' });
  }
  const rows = await sql.transaction(async (tx) => {
    await tx.query(`SET LOCAL statement_timeout = '10s'`);
    return tx.query<{ url: string }>(
      `SELECT DISTINCT url FROM page_views
        WHERE project_id = $1 AND started_at >= ($2::date)::timestamp AT TIME ZONE $4 AND started_at < ($3::date + 2)::timestamp AT TIME ZONE $4
        LIMIT ${MAX_DISTINCT_URLS + 1}`,
      [projectId, from, to, timeZone],
    );
  });
  if (rows.length > MAX_DISTINCT_URLS) {
    throw new HttpError(400, 'invalid_query', `query.url: more than ${MAX_DISTINCT_URLS} distinct URLs in this range; narrow the dates or use urlMatch=contains`, { field: 'url' });
  }
  return rows.map((r) => r.url).filter((u) => re.matcher(u).find());
}
