/**
 * Date range and session filters shared by the analytics queries (funnel now; dashboards later): parsed with zod
 * from the query string, turned into one parameterised WHERE clause over `sessions`.
 */
import { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import { SESSION_FLAGS, type SessionFlag } from '../insights/types.ts';

const day = z.iso.date('expected a date as YYYY-MM-DD');
const oneOrMany = <T extends z.ZodType>(s: T) => z.union([s, z.array(s).max(20)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const sessionFiltersQuery = z
  .object({
    /** First and last day, inclusive, in the project's time zone (default: the last 30 days). */
    from: day.optional(),
    to: day.optional(),
    device: z.enum(['pc', 'tablet', 'mobile']).optional(),
    browser: z.string().min(1).max(100).optional(),
    os: z.string().min(1).max(100).optional(),
    /** Traffic source: the referrer's host without `www.` (e.g. `google.com`), or `direct`. */
    source: z.string().min(1).max(255).optional(),
    /** Sessions that viewed a page whose normalised URL matches `url` (see `urlMatch`). */
    url: z.string().min(1).max(2048).optional(),
    /** `contains` (default), `exact`, or `regex`: RE2 syntax, unanchored, case-sensitive unless `(?i)`. */
    urlMatch: z.enum(['contains', 'exact', 'regex']).default('contains'),
    /** Sessions whose referrer URL contains this text. */
    referrer: z.string().min(1).max(2048).optional(),
    /** `key:value` custom tags (repeat for AND). */
    tag: oneOrMany(z.string().regex(/^[^:]{1,255}:.{1,255}$/, 'expected key:value')).optional(),
    /**
     * Sessions with at least one of this insight (repeat for AND): rage_click, dead_click, error_click,
     * excessive_scroll, quick_back, or js_error (any JavaScript error).
     */
    insight: oneOrMany(z.enum(SESSION_FLAGS)).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type SessionFilters = z.infer<typeof sessionFiltersQuery>;

/**
 * Traffic source of a session, in SQL (over a `sessions` row aliased `s`): the referrer's host, lower-cased, without
 * `www.` and port, or `direct`. `loupe_source` (migration `rollups`) is the one definition, shared with the rollup
 * triggers; plain string functions the planner inlines (a regex here costs a second per million sessions).
 */
export const SOURCE_SQL = 'loupe_source(s.referrer)';

/** The session column counting each insight (set by the analyzer; errors by the workers). */
export const INSIGHT_COLUMN: Readonly<Record<SessionFlag, string>> = {
  rage_click: 'rage_clicks',
  dead_click: 'dead_clicks',
  error_click: 'error_clicks',
  excessive_scroll: 'excessive_scrolls',
  quick_back: 'quick_backs',
  js_error: 'error_count',
};

const MAX_DAYS = 400;

/** The range's first and last day (default: the 30 days ending today, today being the project's local date). */
export function dateRange(filters: Pick<SessionFilters, 'from' | 'to'>, timeZone: string, today = new Date()): { from: string; to: string } {
  const to = filters.to ?? new Intl.DateTimeFormat('en-CA', { timeZone }).format(today);
  const from = filters.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/**
 * The WHERE clause selecting a project's sessions started within the range (whole days in `timeZone`), with
 * parameters appended to `params` (which already holds the project id as $1).
 */
export function sessionWhere(
  filters: SessionFilters,
  timeZone: string,
  params: unknown[],
  today = new Date(),
  /** For `urlMatch=regex`: the distinct URLs the pattern matched (see `resolveUrlRegex`). */
  regexUrls: readonly string[] = [],
): SessionWhere {
  const { from, to } = dateRange(filters, timeZone, today);
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS) {
    throw new HttpError(400, 'invalid_query', `query.from: a date range may span at most ${MAX_DAYS} days`, { field: 'from' });
  }
  const p = (v: unknown): string => `$${params.push(v)}`;
  const tz = p(timeZone);
  const start = `(${p(from)}::date)::timestamp AT TIME ZONE ${tz}`;
  const end = `(${p(to)}::date + 1)::timestamp AT TIME ZONE ${tz}`;
  const where = [`s.project_id = $1`, `s.started_at >= ${start}`, `s.started_at < ${end}`];
  if (filters.device) where.push(`s.device_class = ${p(filters.device)}::device_class`);
  if (filters.browser) where.push(`s.browser = ${p(filters.browser)}`);
  if (filters.os) where.push(`s.os = ${p(filters.os)}`);
  if (filters.source) where.push(`${SOURCE_SQL} = ${p(filters.source.toLowerCase())}`);
  for (const kind of filters.insight ?? []) where.push(`s.${INSIGHT_COLUMN[kind]} > 0`);
  if (filters.referrer) where.push(`strpos(s.referrer, ${p(filters.referrer)}) > 0`);
  if (filters.url) {
    const match =
      filters.urlMatch === 'exact' ? `pv.url = ${p(filters.url)}`
      : filters.urlMatch === 'contains' ? `strpos(pv.url, ${p(filters.url)}) > 0`
      : `pv.url = ANY(${p([...regexUrls])}::text[])`;
    where.push(`EXISTS (SELECT 1 FROM page_views pv WHERE pv.project_id = $1 AND pv.session_id = s.id AND ${match})`);
  }
  for (const t of filters.tag ?? []) {
    const i = t.indexOf(':');
    // A tag holds one value or a list of them; @> with a JSON string matches both.
    where.push(`(s.tags -> ${p(t.slice(0, i))}) @> to_jsonb(${p(t.slice(i + 1))}::text)`);
  }
  return { sql: where.join(' AND '), start, end, from, to, tz, narrowed: where.length > 3 };
}

export interface SessionWhere {
  /** The condition over `sessions s`. */
  sql: string;
  /** SQL expressions of the range's first instant and the instant after it. */
  start: string;
  end: string;
  from: string;
  to: string;
  /** The placeholder of the time-zone parameter. */
  tz: string;
  /** Whether any filter beyond the project and the date range applies (statements may pick another plan shape). */
  narrowed: boolean;
}
