/**
 * Rows in the text format of `COPY … FROM STDIN` for the worker's plain event-row INSERTs. COPY costs PostgreSQL
 * about a third less CPU per row than `INSERT … SELECT FROM unnest(…)` (docs/ingest.md), and event rows are most
 * of what a worker writes.
 */
import type { Column } from './rowColumns.ts';
import { scalarText } from './scalarText.ts';

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeChar = (c: string): string => ESCAPES[c] ?? c;

/** A string field, the four characters COPY gives meaning to escaped (the backslash too: `\N` or `\.` stay text). */
const escaped = (v: string): string => (NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE, escapeChar) : v);

/** The COPY text of `rows`, one line per row, the fields in the order of `columns`. */
export function copyText<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  let out = '';
  for (const row of rows) {
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) out += '\t';
      out += scalarText(columns[c]![2](row), '\\N', escaped, 'COPY text');
    }
    out += '\n';
  }
  return out;
}

/** The column list of a COPY of `columns`. */
export const copyColumns = <R>(columns: readonly Column<R>[]): string[] => columns.map(([name]) => name);
