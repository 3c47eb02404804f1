/**
 * The column specs of the tables a job writes: one source of truth for the worker's writer (`writeRows.ts`) and
 * the ingest benchmark's bare reference, which must store exactly the same columns to be a fair comparison.
 */
import type { CheckoutDelta } from './checkoutRollup.ts';
import type { CheckoutRow, ClickRow, CustomEventRow, ErrorRow, PageViewRow, ScrollRow, SessionDelta, TagRow, VisitorDelta } from './rows.ts';

/** One column: its name in SQL, its PostgreSQL type, and how to read its value from a row. */
export type Column<R> = readonly [name: string, pgType: string, get: (row: R) => unknown];

/** A column's name and PostgreSQL type: all the SQL text of an unnest INSERT depends on. */
export interface ColumnType {
  name: string;
  type: string;
}

/** Timestamps travel as ISO text, which PostgreSQL and PGlite both cast to timestamptz exactly. */
export const iso = (ms: number): string => new Date(ms).toISOString();

export const VISITOR_COLUMNS: readonly Column<VisitorDelta>[] = [
  ['project_id', 'text', (v) => v.projectId],
  ['id', 'text', (v) => v.id],
  ['first_seen_at', 'timestamptz', (v) => iso(v.firstSeenAt)],
  ['last_seen_at', 'timestamptz', (v) => iso(v.lastSeenAt)],
  ['identify_hash', 'text', (v) => v.identifyHash],
];

export const SESSION_COLUMNS: readonly Column<SessionDelta>[] = [
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
  ['checkout_mask', 'int4', (s) => s.checkoutMask],
  ['checkout_at', 'timestamptz', (s) => (s.checkoutAt === null ? null : iso(s.checkoutAt))],
  ['checkout_shipping_at', 'timestamptz', (s) => (s.checkoutShippingAt === null ? null : iso(s.checkoutShippingAt))],
  ['checkout_payment_at', 'timestamptz', (s) => (s.checkoutPaymentAt === null ? null : iso(s.checkoutPaymentAt))],
  ['checkout_confirmed_at', 'timestamptz', (s) => (s.checkoutConfirmedAt === null ? null : iso(s.checkoutConfirmedAt))],
];

/**
 * The page-view columns known when the page view is first seen. The scroll depth, click count and last event time
 * are not: the writer inserts `last_event_at = started_at` and folds the rest in with delta UPDATEs, while the
 * benchmark's reference appends their final values.
 */
export const PAGE_VIEW_COLUMNS: readonly Column<PageViewRow>[] = [
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
];

/** The leading columns of every event table: identity (batch_id, idx), time and session. */
const EVENT_BASE_COLUMNS: readonly Column<Pick<ClickRow, 'projectId' | 'ts' | 'batchId' | 'idx' | 'sessionId'>>[] = [
  ['project_id', 'text', (r) => r.projectId],
  ['ts', 'timestamptz', (r) => iso(r.ts)],
  ['batch_id', 'int8', (r) => r.batchId],
  ['idx', 'int4', (r) => r.idx],
  ['session_id', 'text', (r) => r.sessionId],
];

export const CLICK_COLUMNS: readonly Column<ClickRow>[] = [
  ...EVENT_BASE_COLUMNS,
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
  ['reaction', 'text', (c) => c.reaction],
];

export const SCROLL_COLUMNS: readonly Column<ScrollRow>[] = [
  ...EVENT_BASE_COLUMNS,
  ['page_view_id', 'text', (s) => s.pageViewId],
  ['y', 'float8', (s) => s.y],
  ['depth', 'float8', (s) => s.depth],
];

export const ERROR_COLUMNS: readonly Column<ErrorRow>[] = [
  ...EVENT_BASE_COLUMNS,
  ['page_view_id', 'text', (e) => e.pageViewId],
  ['url', 'text', (e) => e.url],
  ['kind', 'text', (e) => e.kind],
  ['message', 'text', (e) => e.message],
  ['source', 'text', (e) => e.source],
  ['line', 'int4', (e) => e.line],
  ['"column"', 'int4', (e) => e.column],
  ['stack', 'text', (e) => e.stack],
];

export const TAG_COLUMNS: readonly Column<TagRow>[] = [...EVENT_BASE_COLUMNS, ['key', 'text', (t) => t.key], ['value', 'text', (t) => t.value]];

export const CUSTOM_EVENT_COLUMNS: readonly Column<CustomEventRow>[] = [
  ...EVENT_BASE_COLUMNS,
  ['page_view_id', 'text', (e) => e.pageViewId],
  ['name', 'text', (e) => e.name],
];

export const CHECKOUT_COLUMNS: readonly Column<CheckoutRow>[] = [
  ...EVENT_BASE_COLUMNS,
  ['visitor_id', 'text', (c) => c.visitorId],
  ['source', 'text', (c) => c.source],
  ['step', 'text', (c) => c.step],
  ['token', 'text', (c) => c.token],
  ['value_minor', 'int8', (c) => c.valueMinor],
  ['currency', 'text', (c) => c.currency],
];

/** A column spec reduced to what the SQL text needs. */
export const columnTypes = <R>(columns: readonly Column<R>[]): ColumnType[] => columns.map(([name, type]) => ({ name, type }));

/**
 * The text of `INSERT … SELECT FROM unnest(…)`: one array-literal parameter per column, so the statement is parsed once
 * however many rows it carries. Enums travel as text arrays (a client cannot send an array of a custom enum type)
 * and are cast back in the SELECT. `tail` is an ON CONFLICT clause, which refers to the existing row as `t`;
 * without one the statement is a bare INSERT. `paramOffset` numbers the parameters after earlier ones when the
 * INSERT is one part of a larger statement.
 */
export function unnestInsertSql(table: string, columns: readonly ColumnType[], tail = '', paramOffset = 0): string {
  const select = columns.map(({ type }, i) => (type === 'device_class' ? `c${i}::device_class` : `c${i}`)).join(', ');
  // Each parameter is one text value (an `arrayLiteral`) cast to its array type by the server.
  const unnest = columns.map(({ type }, i) => `$${paramOffset + i + 1}::text::${type === 'device_class' ? 'text' : type}[]`).join(', ');
  const names = columns.map(({ name }) => name).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  const target = tail ? `${table} AS t` : table;
  return `INSERT INTO ${target} (${names}) SELECT ${select} FROM unnest(${unnest}) AS u(${aliases})${tail ? ` ${tail}` : ''}`;
}

export const CHECKOUT_ROLLUP_COLUMNS: readonly Column<CheckoutDelta>[] = [
  ['project_id', 'text', (c) => c.projectId],
  ['key', 'text', (c) => c.key],
  ['session_id', 'text', (c) => c.sessionId],
  ['visitor_id', 'text', (c) => c.visitorId],
  ['first_at', 'timestamptz', (c) => iso(c.firstAt)],
  ['last_at', 'timestamptz', (c) => iso(c.lastAt)],
  ['mask', 'int4', (c) => c.mask],
  ['confirmed_at', 'timestamptz', (c) => (c.confirmedAt === null ? null : iso(c.confirmedAt))],
  ['confirmed_session_id', 'text', (c) => c.confirmedSessionId],
  ['value_minor', 'int8', (c) => c.valueMinor],
  ['currency', 'text', (c) => c.currency],
];
