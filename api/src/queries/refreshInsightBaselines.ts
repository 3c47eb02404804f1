import type { SqlRunner } from '@loupe/prisma/sql';

/** Pages with fewer judged page views than this get no baseline row of their own (the site's is used). */
const MIN_PAGE_SAMPLES = 30;
/** Baselines kept per project at most: the most visited pages. */
const MAX_PAGES = 5000;

/**
 * Recomputes a project's baselines (per page and, with url '', for the site) from the page views judged in the
 * `windowDays` before `now`: medians and median absolute deviations of scroll reversals and scroll speed, and the
 * median dwell. Upserts the project's rows and drops the stale ones, in the caller's transaction (concurrent
 * refreshes converge).
 */
export async function refreshInsightBaselines(tx: SqlRunner, projectId: string, now: Date, windowDays = 30): Promise<number> {
  const since = new Date(now.getTime() - windowDays * 86_400_000).toISOString();
  const rows = await tx.query<{ n: number }>(
    `WITH pv AS (
       SELECT url, scroll_reversals::float8 AS rev, scroll_distance / GREATEST(dwell_ms / 1000.0, 1) AS speed, dwell_ms::float8 AS dwell
         FROM page_views
        WHERE project_id = $1 AND started_at >= $2 AND dwell_ms IS NOT NULL
     ),
     pages AS (
       SELECT url FROM pv GROUP BY url HAVING count(*) >= $3 ORDER BY count(*) DESC LIMIT $4
     ),
     groups AS (
       SELECT url AS key, rev, speed, dwell FROM pv WHERE url IN (SELECT url FROM pages)
       UNION ALL
       SELECT '' AS key, rev, speed, dwell FROM pv
     ),
     med AS (
       SELECT key, count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY rev) AS rev_med,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY speed) AS speed_med,
              COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY dwell) FILTER (WHERE dwell > 0), 0) AS dwell_med
         FROM groups GROUP BY key
     ),
     mad AS (
       SELECT g.key, percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(g.rev - m.rev_med)) AS rev_mad,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(g.speed - m.speed_med)) AS speed_mad
         FROM groups g JOIN med m USING (key) GROUP BY g.key
     ),
     ins AS (
       INSERT INTO insight_baselines (project_id, url, samples, reversals_median, reversals_mad, speed_median, speed_mad, dwell_median_ms, computed_at)
       SELECT $1, m.key, m.n, m.rev_med, d.rev_mad, m.speed_med, d.speed_mad, m.dwell_med, $5
         FROM med m JOIN mad d USING (key)
       ON CONFLICT (project_id, url) DO UPDATE SET samples = EXCLUDED.samples, reversals_median = EXCLUDED.reversals_median,
         reversals_mad = EXCLUDED.reversals_mad, speed_median = EXCLUDED.speed_median, speed_mad = EXCLUDED.speed_mad,
         dwell_median_ms = EXCLUDED.dwell_median_ms, computed_at = EXCLUDED.computed_at
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`,
    [projectId, since, MIN_PAGE_SAMPLES, MAX_PAGES, now.toISOString()],
  );
  // Pages that fell out of the window or below the sample floor.
  await tx.query('DELETE FROM insight_baselines WHERE project_id = $1 AND computed_at < $2', [projectId, now.toISOString()]);
  return rows[0]?.n ?? 0;
}
