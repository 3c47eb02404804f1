/**
 * Rows in the text format of `COPY … FROM STDIN` for the worker's plain event-row INSERTs. COPY costs PostgreSQL
 * about a third less CPU per row than `INSERT … SELECT FROM unnest(…)` (bench/README.md), and event rows are most
 * of what a worker writes.
 */
import type { Column } from './rowColumns.ts';

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeChar = (c: string): string => ESCAPES[c] ?? c;

/**
 * One field: `\N` for NULL, numbers and booleans as PostgreSQL reads them, strings with the four characters COPY
 * gives meaning to escaped (the backslash first, so `\N` or `\.` in a value stay text). Strings must not hold
 * U+0000, which the worker strips on decode.
 */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 't' : 'f';
    case 'string':
      return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE, escapeChar) : v;
    default:
      throw new TypeError(`COPY text: cannot encode a ${typeof v}`);
  }
}

/** The COPY text of `rows`, one line per row, the fields in the order of `columns`. */
export function copyText<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  let out = '';
  for (const row of rows) {
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) out += '\t';
      out += field(columns[c]![2](row));
    }
    out += '\n';
  }
  return out;
}

/** The column list of a COPY of `columns`. */
export const copyColumns = <R>(columns: readonly Column<R>[]): string[] => columns.map(([name]) => name);
