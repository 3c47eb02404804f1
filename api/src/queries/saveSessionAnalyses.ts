import type { SqlRunner } from '@loupe/prisma/sql';
import type { SessionAnalysis } from '../insights/types.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Writes the analyzer's verdicts in the caller's transaction: the sessions' insight rows are replaced as a whole and
 * counts and flags overwritten (not added), so judging a session twice leaves the same rows.
 */
export async function saveSessionAnalyses(tx: SqlRunner, projectId: string, analyses: readonly SessionAnalysis[], now: Date): Promise<void> {
  if (analyses.length === 0) return;
  const ids = analyses.map((a) => a.id);
  await tx.query('DELETE FROM insights WHERE project_id = $1 AND session_id = ANY($2::text[])', [projectId, ids]);

  const occ = analyses.flatMap((a) => a.insights.map((o) => ({ ...o, sessionId: a.id })));
  if (occ.length > 0) {
    await tx.query(
      `INSERT INTO insights (project_id, ts, session_id, kind, seq, page_view_id, url, offset_ms, selector, detail)
       SELECT $1, ts, sid, kind::insight_kind, seq, pv, url, off, sel, detail
         FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::int4[], $6::text[], $7::text[], $8::int4[], $9::text[], $10::jsonb[])
              AS u(ts, sid, kind, seq, pv, url, off, sel, detail)`,
      [
        projectId, occ.map((o) => iso(o.ts)), occ.map((o) => o.sessionId), occ.map((o) => o.kind), occ.map((o) => o.seq),
        occ.map((o) => o.pageViewId), occ.map((o) => o.url), occ.map((o) => o.offsetMs), occ.map((o) => o.selector),
        occ.map((o) => JSON.stringify(o.detail)),
      ],
    );
  }

  const pvs = analyses.flatMap((a) => a.pageViews);
  if (pvs.length > 0) {
    // started_at is in the key: it lets a time-partitioned table find each page view's partition.
    await tx.query(
      `UPDATE page_views p SET dwell_ms = u.dwell, scroll_distance = u.dist, scroll_reversals = u.rev, rage_clicks = u.rage,
              dead_clicks = u.dead, error_clicks = u.err, excessive_scroll = u.exc, quick_back = u.qb
         FROM unnest($2::text[], $3::timestamptz[], $4::int4[], $5::int4[], $6::int4[], $7::int4[], $8::int4[], $9::int4[], $10::bool[], $11::bool[])
              AS u(id, started, dwell, dist, rev, rage, dead, err, exc, qb)
        WHERE p.project_id = $1 AND p.started_at = u.started AND p.id = u.id`,
      [
        projectId, pvs.map((p) => p.id), pvs.map((p) => iso(p.startedAt)), pvs.map((p) => p.dwellMs), pvs.map((p) => p.scrollDistance),
        pvs.map((p) => p.scrollReversals), pvs.map((p) => p.rageClicks), pvs.map((p) => p.deadClicks), pvs.map((p) => p.errorClicks),
        pvs.map((p) => p.excessiveScroll), pvs.map((p) => p.quickBack),
      ],
    );
  }

  // Judging fires the rollup triggers (migration `rollups`), which lock each session's visitor row. Locking them
  // here first, in id order, keeps two analyzers judging sessions of the same visitors from deadlocking.
  await tx.query(
    `SELECT 1 FROM visitors v
      WHERE v.project_id = $1 AND v.id IN (SELECT s.visitor_id FROM sessions s WHERE s.project_id = $1 AND s.id = ANY($2::text[]))
      ORDER BY v.id FOR NO KEY UPDATE`,
    [projectId, ids],
  );
  await tx.query(
    `UPDATE sessions s SET active_ms = u.active, rage_clicks = u.rage, dead_clicks = u.dead, error_clicks = u.err,
            excessive_scrolls = u.exc, quick_backs = u.qb, analyzed_at = $8
       FROM unnest($2::text[], $3::int4[], $4::int4[], $5::int4[], $6::int4[], $7::int4[], $9::int4[]) AS u(id, active, rage, dead, err, exc, qb)
      WHERE s.project_id = $1 AND s.id = u.id`,
    [
      projectId, ids, analyses.map((a) => a.activeMs), analyses.map((a) => a.counts.rage_click), analyses.map((a) => a.counts.dead_click),
      analyses.map((a) => a.counts.error_click), analyses.map((a) => a.counts.excessive_scroll), now.toISOString(),
      analyses.map((a) => a.counts.quick_back),
    ],
  );
}
