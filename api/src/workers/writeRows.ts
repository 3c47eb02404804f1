import type { SqlRunner } from '@loupe/prisma/sql';
import {
  CHECKOUT_COLUMNS,
  CLICK_COLUMNS,
  CUSTOM_EVENT_COLUMNS,
  ERROR_COLUMNS,
  insertMany,
  iso,
  PAGE_VIEW_COLUMNS,
  SESSION_COLUMNS,
  TAG_COLUMNS,
  VISITOR_COLUMNS,
} from './rowColumns.ts';
import type { RowSet } from './rows.ts';

const byKey = <T extends { projectId: string; id: string }>(m: Map<string, T>): T[] =>
  [...m.values()].sort((a, b) => (a.projectId + a.id < b.projectId + b.id ? -1 : 1));

/**
 * Writes a job's rows inside the caller's transaction. Upserts are sorted by key so concurrent jobs lock rows in
 * the same order (no deadlocks); additive session counters make the order of jobs irrelevant.
 */
export async function writeRows(tx: SqlRunner, rows: RowSet): Promise<void> {
  await insertMany(tx, 'visitors', VISITOR_COLUMNS, byKey(rows.visitors), `ON CONFLICT (project_id, id) DO UPDATE SET
      first_seen_at = LEAST(t.first_seen_at, EXCLUDED.first_seen_at),
      last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at),
      identify_hash = COALESCE(EXCLUDED.identify_hash, t.identify_hash)`);

  await insertMany(tx, 'sessions', SESSION_COLUMNS, byKey(rows.sessions), `ON CONFLICT (project_id, id) DO UPDATE SET
      started_at = LEAST(t.started_at, EXCLUDED.started_at),
      ended_at = GREATEST(t.ended_at, EXCLUDED.ended_at),
      duration_ms = (EXTRACT(EPOCH FROM GREATEST(t.ended_at, EXCLUDED.ended_at) - LEAST(t.started_at, EXCLUDED.started_at)) * 1000)::int,
      entry_url = CASE WHEN EXCLUDED.started_at < t.started_at THEN COALESCE(EXCLUDED.entry_url, t.entry_url) ELSE COALESCE(t.entry_url, EXCLUDED.entry_url) END,
      referrer = CASE WHEN EXCLUDED.started_at < t.started_at THEN COALESCE(EXCLUDED.referrer, t.referrer) ELSE COALESCE(t.referrer, EXCLUDED.referrer) END,
      exit_url = CASE WHEN EXCLUDED.ended_at >= t.ended_at THEN COALESCE(EXCLUDED.exit_url, t.exit_url) ELSE t.exit_url END,
      page_count = t.page_count + EXCLUDED.page_count,
      click_count = t.click_count + EXCLUDED.click_count,
      error_count = t.error_count + EXCLUDED.error_count,
      max_scroll_depth = GREATEST(t.max_scroll_depth, EXCLUDED.max_scroll_depth),
      tags = t.tags || EXCLUDED.tags,
      identify_hash = COALESCE(EXCLUDED.identify_hash, t.identify_hash),
      consent_granted = COALESCE(EXCLUDED.consent_granted, t.consent_granted),
      recording_chunks = t.recording_chunks + EXCLUDED.recording_chunks`);

  await insertMany(tx, 'page_views', [
    ...PAGE_VIEW_COLUMNS,
    // Folded forward by the delta UPDATE below as later events of the page view arrive.
    ['last_event_at', 'timestamptz', (p) => iso(p.startedAt)],
  ], rows.pageViews, 'ON CONFLICT DO NOTHING');

  const deltas = byKey(rows.pageViewDeltas);
  if (deltas.length > 0) {
    // The time bound lets a time-partitioned table prune partitions newer than the page view can be.
    await tx.query(
      `UPDATE page_views p SET max_scroll_depth = GREATEST(p.max_scroll_depth, d.depth),
              click_count = p.click_count + d.clicks, last_event_at = GREATEST(p.last_event_at, d.last)
         FROM unnest($1::text[], $2::text[], $3::float8[], $4::int4[], $5::timestamptz[]) AS d(project_id, id, depth, clicks, last)
        WHERE p.project_id = d.project_id AND p.id = d.id AND p.started_at <= d.last`,
      [deltas.map((d) => d.projectId), deltas.map((d) => d.id), deltas.map((d) => d.maxScrollDepth), deltas.map((d) => d.clicks), deltas.map((d) => iso(d.lastEventAt))],
    );
  }

  const tail = 'ON CONFLICT DO NOTHING';
  await insertMany(tx, 'clicks', CLICK_COLUMNS, rows.clicks, tail);
  await insertMany(tx, 'js_errors', ERROR_COLUMNS, rows.errors, tail);
  await insertMany(tx, 'custom_tags', TAG_COLUMNS, rows.tags, tail);
  await insertMany(tx, 'custom_events', CUSTOM_EVENT_COLUMNS, rows.customEvents, tail);
  await insertMany(tx, 'checkout_events', CHECKOUT_COLUMNS, rows.checkouts, tail);
}
