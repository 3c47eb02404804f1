/**
 * The reference: the *bare* cost of storing the final rows the pipeline produces, with no HTTP, inbox, queue or
 * session logic. The rows are built in memory beforehand with the worker's own pure row builder (`addBatchRows`),
 * folded to their final values (a session's counters, a page view's clicks/scroll depth), then only the INSERTs
 * are timed: `INSERT … SELECT FROM unnest(…)` per table in chunks, over N connections. A bare `COPY … FROM STDIN`
 * of the same rows is timed too, for information.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseBatch, type ProjectSettings } from '@loupe/contract';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { addBatchRows } from '../../api/src/workers/buildRows.ts';
import { emptyRowSet, eventRowCount, type RowSet } from '../../api/src/workers/rows.ts';

/** A table's rows as column arrays, ready for unnest or COPY. */
export interface TableRows {
  table: string;
  columns: { name: string; type: string }[];
  /** One array per column. */
  values: unknown[][];
  rows: number;
}

export interface ReferenceRows {
  tables: TableRows[];
  /** Final event rows (page views + clicks + errors + tags + custom events + checkouts): what "events/s" counts. */
  eventRows: number;
  rowsByTable: Record<string, number>;
}

const iso = (ms: number): string => new Date(ms).toISOString();
type Col<R> = readonly [name: string, type: string, get: (r: R) => unknown];

function columnar<R>(table: string, cols: readonly Col<R>[], rows: readonly R[]): TableRows {
  return {
    table,
    columns: cols.map(([name, type]) => ({ name, type })),
    values: cols.map(([, , get]) => rows.map(get)),
    rows: rows.length,
  };
}

/**
 * Decodes the bodies exactly as the worker does (JSON → parseBatch), builds the rows with `addBatchRows` (the
 * tracker's session id as server session, as on a first visit) and folds them to final values.
 */
export function buildReferenceRows(bodies: readonly string[], projectId: string, settings: ProjectSettings): ReferenceRows {
  const rows: RowSet = emptyRowSet();
  const receivedMs = Date.now();
  bodies.forEach((body, i) => {
    const parsed = parseBatch(JSON.parse(body));
    if (!parsed.ok) throw new Error(`reference: invalid batch ${i}: ${parsed.error}`);
    addBatchRows(rows, {
      inboxId: String(i + 1),
      projectId,
      receivedMs,
      batch: parsed.batch,
      headerUa: null,
      settings,
      sessionId: parsed.batch.sessionId,
    });
  });

  // Final page-view values: what the pipeline's insert + delta UPDATEs leave behind.
  const pageViews = rows.pageViews.map((p) => {
    const d = rows.pageViewDeltas.get(`${p.projectId}\u0000${p.id}`);
    return { ...p, clicks: d?.clicks ?? 0, depth: d?.maxScrollDepth ?? 0, last: Math.max(p.startedAt, d?.lastEventAt ?? p.startedAt) };
  });
  type PV = (typeof pageViews)[number];
  const base = [
    ['project_id', 'text', (r: { projectId: string }) => r.projectId],
    ['ts', 'timestamptz', (r: { ts: number }) => iso(r.ts)],
    ['batch_id', 'int8', (r: { batchId: string }) => r.batchId],
    ['idx', 'int4', (r: { idx: number }) => r.idx],
    ['session_id', 'text', (r: { sessionId: string }) => r.sessionId],
  ] as const;

  const tables: TableRows[] = [
    columnar('visitors', [
      ['project_id', 'text', (v) => v.projectId],
      ['id', 'text', (v) => v.id],
      ['first_seen_at', 'timestamptz', (v) => iso(v.firstSeenAt)],
      ['last_seen_at', 'timestamptz', (v) => iso(v.lastSeenAt)],
      ['identify_hash', 'text', (v) => v.identifyHash],
    ], [...rows.visitors.values()]),
    columnar('sessions', [
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
    ], [...rows.sessions.values()]),
    columnar<PV>('page_views', [
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
      ['max_scroll_depth', 'float8', (p) => p.depth],
      ['click_count', 'int4', (p) => p.clicks],
      ['last_event_at', 'timestamptz', (p) => iso(p.last)],
    ], pageViews),
    columnar('clicks', [
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
    ], rows.clicks),
    columnar('js_errors', [
      ...base,
      ['page_view_id', 'text', (e) => e.pageViewId],
      ['url', 'text', (e) => e.url],
      ['kind', 'text', (e) => e.kind],
      ['message', 'text', (e) => e.message],
      ['source', 'text', (e) => e.source],
      ['line', 'int4', (e) => e.line],
      ['"column"', 'int4', (e) => e.column],
      ['stack', 'text', (e) => e.stack],
    ], rows.errors),
    columnar('custom_tags', [...base, ['key', 'text', (t) => t.key], ['value', 'text', (t) => t.value]], rows.tags),
    columnar('custom_events', [...base, ['page_view_id', 'text', (e) => e.pageViewId], ['name', 'text', (e) => e.name]], rows.customEvents),
    columnar('checkout_events', [
      ...base,
      ['visitor_id', 'text', (c) => c.visitorId],
      ['source', 'text', (c) => c.source],
      ['step', 'text', (c) => c.step],
      ['token', 'text', (c) => c.token],
      ['value_minor', 'int8', (c) => c.valueMinor],
      ['currency', 'text', (c) => c.currency],
    ], rows.checkouts),
  ];
  const rowsByTable: Record<string, number> = {};
  for (const t of tables) rowsByTable[t.table] = t.rows;
  return { tables, eventRows: eventRowCount(rows), rowsByTable };
}

export const REFERENCE_TABLES = ['visitors', 'sessions', 'page_views', 'clicks', 'js_errors', 'custom_tags', 'custom_events', 'checkout_events'];

/** Something that runs one parameterised statement (a pg client, or PGlite's runner). */
export interface Conn {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

interface Chunk {
  table: TableRows;
  from: number;
  to: number;
}

function chunks(tables: readonly TableRows[], size: number): Chunk[] {
  const out: Chunk[] = [];
  for (const table of tables) for (let from = 0; from < table.rows; from += size) out.push({ table, from, to: Math.min(table.rows, from + size) });
  return out;
}

/** Runs `tasks` over the connections, each connection taking the next task when done. */
async function overConnections<C>(conns: readonly C[], tasks: Chunk[], run: (c: C, t: Chunk) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    conns.map(async (c) => {
      while (next < tasks.length) await run(c, tasks[next++]!);
    }),
  );
}

function unnestSql(t: TableRows): string {
  const names = t.columns.map((c) => c.name).join(', ');
  const args = t.columns.map((c, i) => `$${i + 1}::${c.type === 'device_class' ? 'text' : c.type}[]`).join(', ');
  const aliases = t.columns.map((_, i) => `c${i}`).join(', ');
  const select = t.columns.map((c, i) => (c.type === 'device_class' ? `c${i}::device_class` : `c${i}`)).join(', ');
  return `INSERT INTO ${t.table} (${names}) SELECT ${select} FROM unnest(${args}) AS u(${aliases})`;
}

/** Times the bare unnest INSERTs (chunks of `chunkSize` rows, autocommit, over all `conns`). Returns seconds. */
export async function timeUnnest(conns: readonly Conn[], rows: ReferenceRows, chunkSize = 5000): Promise<number> {
  const tasks = chunks(rows.tables, chunkSize);
  // Parameters are sliced before the clock starts: only the database round trips are timed.
  const prepared = new Map(tasks.map((t) => [t, t.table.values.map((col) => col.slice(t.from, t.to))]));
  const t0 = performance.now();
  await overConnections(conns, tasks, async (c, t) => {
    await c.query(unnestSql(t.table), prepared.get(t));
  });
  return (performance.now() - t0) / 1000;
}

/** COPY text format: tab-separated, `\N` for NULL, backslash escapes. */
function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** Times a bare COPY … FROM STDIN of the same rows (payloads encoded beforehand), over all `clients`. Seconds. */
export async function timeCopy(clients: readonly pg.ClientBase[], rows: ReferenceRows, chunkSize = 5000): Promise<number> {
  const tasks = chunks(rows.tables, chunkSize);
  const payloads = new Map<Chunk, Buffer>();
  for (const t of tasks) {
    const lines: string[] = [];
    for (let r = t.from; r < t.to; r++) lines.push(t.table.values.map((col) => copyField(col[r])).join('\t'));
    payloads.set(t, Buffer.from(lines.join('\n') + '\n'));
  }
  const t0 = performance.now();
  await overConnections(clients, tasks, async (c, t) => {
    const stream = c.query(copyFrom(`COPY ${t.table.table} (${t.table.columns.map((x) => x.name).join(', ')}) FROM STDIN`));
    await pipeline(
      (async function* () {
        yield payloads.get(t)!;
      })(),
      stream as unknown as Writable,
    );
  });
  return (performance.now() - t0) / 1000;
}
