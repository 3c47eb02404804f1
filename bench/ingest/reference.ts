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
import { arrayLiteral } from '../../api/src/workers/arrayLiteral.ts';
import { addBatchRows } from '../../api/src/workers/buildRows.ts';
import {
  CHECKOUT_COLUMNS,
  CLICK_COLUMNS,
  type Column,
  columnTypes,
  type ColumnType,
  CUSTOM_EVENT_COLUMNS,
  ERROR_COLUMNS,
  iso,
  PAGE_VIEW_COLUMNS,
  SCROLL_COLUMNS,
  SESSION_COLUMNS,
  TAG_COLUMNS,
  unnestInsertSql,
  VISITOR_COLUMNS,
} from '../../api/src/workers/rowColumns.ts';
import { emptyRowSet, eventRowCount, type RowSet } from '../../api/src/workers/rows.ts';

/** A table's rows as column arrays, ready for unnest or COPY. */
export interface TableRows {
  table: string;
  columns: ColumnType[];
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

/** A table's rows as column arrays, read with the worker's own column specs: the reference stores exactly the pipeline's columns. */
function columnar<R>(table: string, cols: readonly Column<R>[], rows: readonly R[]): TableRows {
  return {
    table,
    columns: columnTypes(cols),
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
    return { ...p, clicks: d?.clicks ?? 0, depth: d?.maxScrollDepth ?? 0, last: Math.max(p.startedAt, d?.lastEventAt ?? p.startedAt), active: d?.activeMs ?? null };
  });
  type PV = (typeof pageViews)[number];

  const tables: TableRows[] = [
    columnar('visitors', VISITOR_COLUMNS, [...rows.visitors.values()]),
    columnar('sessions', SESSION_COLUMNS, [...rows.sessions.values()]),
    columnar<PV>('page_views', [
      ...PAGE_VIEW_COLUMNS,
      ['max_scroll_depth', 'float8', (p) => p.depth],
      ['click_count', 'int4', (p) => p.clicks],
      ['last_event_at', 'timestamptz', (p) => iso(p.last)],
      ['active_ms', 'int4', (p) => p.active],
    ], pageViews),
    columnar('clicks', CLICK_COLUMNS, rows.clicks),
    columnar('scrolls', SCROLL_COLUMNS, rows.scrolls),
    columnar('js_errors', ERROR_COLUMNS, rows.errors),
    columnar('custom_tags', TAG_COLUMNS, rows.tags),
    columnar('custom_events', CUSTOM_EVENT_COLUMNS, rows.customEvents),
    columnar('checkout_events', CHECKOUT_COLUMNS, rows.checkouts),
  ];
  const rowsByTable: Record<string, number> = {};
  for (const t of tables) rowsByTable[t.table] = t.rows;
  return { tables, eventRows: eventRowCount(rows), rowsByTable };
}

export const REFERENCE_TABLES = ['visitors', 'sessions', 'page_views', 'clicks', 'scrolls', 'js_errors', 'custom_tags', 'custom_events', 'checkout_events'];

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

/** Times the bare unnest INSERTs (chunks of `chunkSize` rows, autocommit, over all `conns`). Returns seconds. */
export async function timeUnnest(conns: readonly Conn[], rows: ReferenceRows, chunkSize = 5000): Promise<number> {
  const tasks = chunks(rows.tables, chunkSize);
  // Parameters are sliced before the clock starts: only the database round trips are timed.
  const prepared = new Map(tasks.map((t) => [t, t.table.values.map((col) => col.slice(t.from, t.to))]));
  const t0 = performance.now();
  await overConnections(conns, tasks, async (c, t) => {
    // No ON CONFLICT tail: the reference is the bare INSERT into empty tables. Encoded inside the clock with the
    // worker's own encoder, as the pipeline's writes are.
    const literals = prepared.get(t)!.map((col) => arrayLiteral(col, (v) => v));
    await c.query(unnestInsertSql(t.table.table, t.table.columns), literals);
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
    // The column list comes from the worker's specs, like the unnest INSERT's.
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
