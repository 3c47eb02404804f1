import type { SqlRunner } from '@loupe/prisma/sql';
import { arrayLiteral } from './arrayLiteral.ts';
import { checkoutDeltas } from './checkoutRollup.ts';
import { copyColumns, copyText } from './copyText.ts';
import {
  CHECKOUT_COLUMNS,
  CHECKOUT_ROLLUP_COLUMNS,
  CLICK_COLUMNS,
  columnTypes,
  CUSTOM_EVENT_COLUMNS,
  ERROR_COLUMNS,
  SCROLL_COLUMNS,
  iso,
  PAGE_VIEW_COLUMNS,
  SESSION_COLUMNS,
  TAG_COLUMNS,
  unnestInsertSql,
  VISITOR_COLUMNS,
  type Column,
} from './rowColumns.ts';
import type { PageViewDelta, PageViewRow, RowSet } from './rows.ts';

const byKey = <T extends { projectId: string; id: string }>(m: Map<string, T>): T[] =>
  [...m.values()].sort((a, b) => (a.projectId + a.id < b.projectId + b.id ? -1 : 1));

/**
 * Several data-modifying statements sent as one (`WITH w0 AS (INSERT …), w1 AS (…) SELECT 1`): one round trip per
 * job instead of one per table. The parts share one snapshot, so no part may depend on another's writes.
 */
class OneStatement {
  private readonly parts: string[] = [];
  private readonly params: unknown[] = [];

  insert<R>(table: string, columns: readonly Column<R>[], rows: readonly R[], tail = ''): void {
    if (rows.length === 0) return;
    this.parts.push(unnestInsertSql(table, columnTypes(columns), tail, this.params.length));
    for (const [, , get] of columns) this.params.push(arrayLiteral(rows, get));
  }

  /** A part written by hand; `sql` receives the number of parameters before its own `$1`. */
  part(sql: (offset: number) => string, params: unknown[]): void {
    this.parts.push(sql(this.params.length));
    this.params.push(...params);
  }

  async run(tx: SqlRunner): Promise<void> {
    if (this.parts.length === 0) return;
    await tx.query(`WITH ${this.parts.map((p, i) => `w${i} AS (${p})`).join(',\n')} SELECT 1`, this.params);
  }
}

/** Page views created by this job carry their own events' aggregates; only older page views need an UPDATE. */
const PAGE_VIEW_WITH_AGGREGATES: readonly Column<PageViewRow & { delta?: PageViewDelta }>[] = [
  ...PAGE_VIEW_COLUMNS,
  ['max_scroll_depth', 'float8', (p) => p.delta?.maxScrollDepth ?? 0],
  ['click_count', 'int4', (p) => p.delta?.clicks ?? 0],
  ['last_event_at', 'timestamptz', (p) => iso(Math.max(p.startedAt, p.delta?.lastEventAt ?? p.startedAt))],
  ['active_ms', 'int4', (p) => p.delta?.activeMs ?? null],
];

/**
 * Writes a job's rows inside the caller's transaction: visitors and sessions, then page views and checkouts, then one
 * COPY per event table. Upserts are sorted by key so concurrent jobs lock rows in the same order (no deadlocks);
 * additive session counters make the order of jobs irrelevant.
 */
export async function writeRows(tx: SqlRunner, rows: RowSet): Promise<void> {
  // Visitors and sessions first, in a statement of their own. A late batch of a judged session un-judges it here,
  // so the rollup triggers (migration `rollups`) take out the session's page views and errors as they were when it
  // was judged — before this batch's events land, in the next statement. The upsert also locks the session until
  // commit, so the analyzer (which skips locked sessions) cannot judge it in between.
  const heads = new OneStatement();
  heads.insert('visitors', VISITOR_COLUMNS, byKey(rows.visitors), `ON CONFLICT (project_id, id) DO UPDATE SET
      first_seen_at = LEAST(t.first_seen_at, EXCLUDED.first_seen_at),
      last_seen_at = GREATEST(t.last_seen_at, EXCLUDED.last_seen_at),
      identify_hash = COALESCE(EXCLUDED.identify_hash, t.identify_hash)`);

  heads.insert('sessions', SESSION_COLUMNS, byKey(rows.sessions), `ON CONFLICT (project_id, id) DO UPDATE SET
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
      recording_chunks = t.recording_chunks + EXCLUDED.recording_chunks,
      checkout_mask = t.checkout_mask | EXCLUDED.checkout_mask,
      checkout_at = LEAST(t.checkout_at, EXCLUDED.checkout_at),
      checkout_shipping_at = LEAST(t.checkout_shipping_at, EXCLUDED.checkout_shipping_at),
      checkout_payment_at = LEAST(t.checkout_payment_at, EXCLUDED.checkout_payment_at),
      checkout_confirmed_at = LEAST(t.checkout_confirmed_at, EXCLUDED.checkout_confirmed_at),
      analyzed_at = NULL`);
  await heads.run(tx);

  const q = new OneStatement();

  // Out-of-order safe: the first event decides the checkout's session, the earliest confirmation its order.
  q.insert('checkouts', CHECKOUT_ROLLUP_COLUMNS, checkoutDeltas(rows.checkouts), `ON CONFLICT (project_id, key) DO UPDATE SET
      session_id = CASE WHEN EXCLUDED.first_at < t.first_at THEN EXCLUDED.session_id ELSE t.session_id END,
      visitor_id = CASE WHEN EXCLUDED.first_at < t.first_at THEN EXCLUDED.visitor_id ELSE t.visitor_id END,
      first_at = LEAST(t.first_at, EXCLUDED.first_at),
      last_at = GREATEST(t.last_at, EXCLUDED.last_at),
      mask = t.mask | EXCLUDED.mask,
      confirmed_session_id = CASE WHEN t.confirmed_at IS NULL OR EXCLUDED.confirmed_at < t.confirmed_at
                                  THEN COALESCE(EXCLUDED.confirmed_session_id, t.confirmed_session_id) ELSE t.confirmed_session_id END,
      confirmed_at = LEAST(t.confirmed_at, EXCLUDED.confirmed_at),
      currency = CASE WHEN t.value_minor IS NULL OR EXCLUDED.value_minor > t.value_minor THEN COALESCE(EXCLUDED.currency, t.currency) ELSE t.currency END,
      value_minor = GREATEST(t.value_minor, EXCLUDED.value_minor)`);

  const created = new Set(rows.pageViews.map((p) => `${p.projectId}\u0000${p.id}`));
  q.insert(
    'page_views',
    PAGE_VIEW_WITH_AGGREGATES,
    rows.pageViews.map((p) => ({ ...p, delta: rows.pageViewDeltas.get(`${p.projectId}\u0000${p.id}`) })),
    'ON CONFLICT DO NOTHING',
  );
  const older = byKey(rows.pageViewDeltas).filter((d) => !created.has(`${d.projectId}\u0000${d.id}`));
  if (older.length > 0) {
    // The time bound lets a time-partitioned table prune partitions newer than the page view can be.
    q.part(
      (o) => `UPDATE page_views p SET max_scroll_depth = GREATEST(p.max_scroll_depth, d.depth),
              click_count = p.click_count + d.clicks, last_event_at = GREATEST(p.last_event_at, d.last),
              active_ms = GREATEST(p.active_ms, d.active)
         FROM unnest($${o + 1}::text::text[], $${o + 2}::text::text[], $${o + 3}::text::float8[], $${o + 4}::text::int4[],
                     $${o + 5}::text::timestamptz[], $${o + 6}::text::int4[])
              AS d(project_id, id, depth, clicks, last, active)
        WHERE p.project_id = d.project_id AND p.id = d.id AND p.started_at <= d.last`,
      [
        arrayLiteral(older, (d) => d.projectId),
        arrayLiteral(older, (d) => d.id),
        arrayLiteral(older, (d) => d.maxScrollDepth),
        arrayLiteral(older, (d) => d.clicks),
        arrayLiteral(older, (d) => iso(d.lastEventAt)),
        arrayLiteral(older, (d) => d.activeMs),
      ],
    );
  }

  await q.run(tx);

  // Event rows go in with COPY: an event row's key is its inbox row's id and its index in the batch, and the claim
  // in this same transaction lets exactly one transaction write an inbox row, so there is no conflict to handle. A
  // conflict would mean a batch written twice, which must fail rather than pass unseen.
  await copyRows(tx, 'clicks', CLICK_COLUMNS, rows.clicks);
  await copyRows(tx, 'scrolls', SCROLL_COLUMNS, rows.scrolls);
  await copyRows(tx, 'js_errors', ERROR_COLUMNS, rows.errors);
  await copyRows(tx, 'custom_tags', TAG_COLUMNS, rows.tags);
  await copyRows(tx, 'custom_events', CUSTOM_EVENT_COLUMNS, rows.customEvents);
  await copyRows(tx, 'checkout_events', CHECKOUT_COLUMNS, rows.checkouts);
}

async function copyRows<R>(tx: SqlRunner, table: string, columns: readonly Column<R>[], rows: readonly R[]): Promise<void> {
  if (rows.length > 0) await tx.copyFrom(table, copyColumns(columns), copyText(rows, columns));
}
