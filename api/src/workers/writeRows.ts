import type { SqlRunner } from '@loupe/prisma/sql';
import type { RowSet } from './rows.ts';

type Column<R> = readonly [name: string, pgType: string, get: (row: R) => unknown];

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * One set-based INSERT … SELECT FROM unnest(…) for many rows: one array parameter per column, so the statement
 * is parsed once however many rows it carries. Timestamps travel as ISO text and bigints as text, which both
 * PostgreSQL and PGlite cast exactly.
 */
async function insertMany<R>(tx: SqlRunner, table: string, columns: readonly Column<R>[], rows: readonly R[], tail = ''): Promise<void> {
  if (rows.length === 0) return;
  const params = columns.map(([, , get]) => rows.map(get));
  const select = columns.map(([name, type], i) => (type === 'device_class' ? `c${i}::device_class` : `c${i}`)).join(', ');
  const unnest = columns.map(([, type], i) => `$${i + 1}::${type === 'device_class' ? 'text' : type}[]`).join(', ');
  const names = columns.map(([name]) => name).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  await tx.query(`INSERT INTO ${table} AS t (${names}) SELECT ${select} FROM unnest(${unnest}) AS u(${aliases}) ${tail}`, params);
}

const byKey = <T extends { projectId: string; id: string }>(m: Map<string, T>): T[] =>
  [...m.values()].sort((a, b) => (a.projectId + a.id < b.projectId + b.id ? -1 : 1));

/**
 * Writes a job's rows inside the caller's transaction. Upserts are sorted by key so concurrent jobs lock rows in
 * the same order (no deadlocks); additive session counters make the order of jobs irrelevant.
 */
export async function writeRows(tx: SqlRunner, rows: RowSet): Promise<void> {
  await insertMany(tx, 'visitors', [
    ['project_id', 'text', (v) => v.projectId],
    ['id', 'text', (v) => v.id],
    ['first_seen_at', 'timestamptz', (v) => iso(v.firstSeenAt)],
    ['last_seen_at', 'timestamptz', (v) => iso(v.lastSeenAt)],
    ['identify_hash', 'text', (v) => v.identifyHash],
  ], byKey(rows.visitors), `ON CONFLICT (project_id, id) DO UPDATE SET
      first_seen_at = LEAST(t.first_seen_at, EXCLUDED.first_seen_at),
      last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at),
      identify_hash = COALESCE(EXCLUDED.identify_hash, t.identify_hash)`);

  await insertMany(tx, 'sessions', [
    ['project_id', 'text', (s) => s.projectId],
    ['id', 'text', (s) => s.id],
    ['client_session_id', 'text', (s) => s.clientSessionId],
    ['visitor_id', 'text', (s) => s.visitorId],
    ['started_at', 'timestamptz', (s) => iso(s.startedAt)],
    ['ended_at', 'timestamptz', (s) => iso(s.endedAt)],
    ['duration_ms', 'int4', (s) => s.endedAt - s.startedAt],
    ['device_class', 'device_class', (s) => s.deviceClass],
    ['browser', 'text', (s) => s.browser],
    ['browser_version', 'text', (s) => s.browserVersion],
    ['os', 'text', (s) => s.os],
    ['os_version', 'text', (s) => s.osVersion],
    ['viewport_width', 'int4', (s) => s.viewportWidth],
    ['viewport_height', 'int4', (s) => s.viewportHeight],
    ['entry_url', 'text', (s) => s.entryUrl],
    ['exit_url', 'text', (s) => s.exitUrl],
    ['referrer', 'text', (s) => s.referrer],
    ['page_count', 'int4', (s) => s.pageCount],
    ['click_count', 'int4', (s) => s.clickCount],
    ['error_count', 'int4', (s) => s.errorCount],
    ['max_scroll_depth', 'float8', (s) => s.maxScrollDepth],
    ['tags', 'jsonb', (s) => JSON.stringify(s.tags)],
    ['identify_hash', 'text', (s) => s.identifyHash],
    ['consent_granted', 'bool', (s) => s.consentGranted],
    ['recording_chunks', 'int4', (s) => s.recordingChunks],
  ], byKey(rows.sessions), `ON CONFLICT (project_id, id) DO UPDATE SET
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
    ['project_id', 'text', (p) => p.projectId],
    ['started_at', 'timestamptz', (p) => iso(p.startedAt)],
    ['id', 'text', (p) => p.id],
    ['session_id', 'text', (p) => p.sessionId],
    ['visitor_id', 'text', (p) => p.visitorId],
    ['url', 'text', (p) => p.url],
    ['referrer', 'text', (p) => p.referrer],
    ['title', 'text', (p) => p.title],
    ['navigation', 'text', (p) => p.navigation],
    ['batch_id', 'int8', (p) => p.batchId],
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

  const base = [
    ['project_id', 'text', (r: { projectId: string }) => r.projectId],
    ['ts', 'timestamptz', (r: { ts: number }) => iso(r.ts)],
    ['batch_id', 'int8', (r: { batchId: string }) => r.batchId],
    ['idx', 'int4', (r: { idx: number }) => r.idx],
    ['session_id', 'text', (r: { sessionId: string }) => r.sessionId],
  ] as const;
  const tail = 'ON CONFLICT DO NOTHING';
  await insertMany(tx, 'clicks', [
    ...base,
    ['page_view_id', 'text', (c) => c.pageViewId],
    ['url', 'text', (c) => c.url],
    ['x', 'float8', (c) => c.x],
    ['y', 'float8', (c) => c.y],
    ['page_x', 'float8', (c) => c.pageX],
    ['page_y', 'float8', (c) => c.pageY],
    ['selector', 'text', (c) => c.selector],
    ['rel_x', 'float8', (c) => c.relX],
    ['rel_y', 'float8', (c) => c.relY],
    ['interactive', 'bool', (c) => c.interactive],
    ['href', 'text', (c) => c.href],
    ['viewport_width', 'int4', (c) => c.viewportWidth],
  ], rows.clicks, tail);
  await insertMany(tx, 'js_errors', [
    ...base,
    ['page_view_id', 'text', (e) => e.pageViewId],
    ['url', 'text', (e) => e.url],
    ['kind', 'text', (e) => e.kind],
    ['message', 'text', (e) => e.message],
    ['source', 'text', (e) => e.source],
    ['line', 'int4', (e) => e.line],
    ['"column"', 'int4', (e) => e.column],
    ['stack', 'text', (e) => e.stack],
  ], rows.errors, tail);
  await insertMany(tx, 'custom_tags', [...base, ['key', 'text', (t) => t.key], ['value', 'text', (t) => t.value]], rows.tags, tail);
  await insertMany(tx, 'custom_events', [...base, ['page_view_id', 'text', (e) => e.pageViewId], ['name', 'text', (e) => e.name]], rows.customEvents, tail);
  await insertMany(tx, 'checkout_events', [
    ...base,
    ['visitor_id', 'text', (c) => c.visitorId],
    ['source', 'text', (c) => c.source],
    ['step', 'text', (c) => c.step],
    ['token', 'text', (c) => c.token],
    ['value_minor', 'int8', (c) => c.valueMinor],
    ['currency', 'text', (c) => c.currency],
  ], rows.checkouts, tail);
}
