/**
 * PostgreSQL array literals (`{"a","b",NULL,3}`) for the `unnest($n::type[])` parameters of the bulk writes.
 *
 * node-postgres can encode a JS array itself, but it runs two regex replaces over every string element and
 * allocates per element; on the ingest worker that was ~20 % of its CPU (profile in docs/ingest.md).
 * Here a string is scanned once and copied only when it holds a quote or a backslash. The literal is sent as one
 * text parameter and parsed by the `::type[]` cast, on PostgreSQL and PGlite alike.
 */

import { scalarText } from './scalarText.ts';

const NEEDS_ESCAPE = /["\\]/;
const ESCAPE = /["\\]/g;

/** A string element, always double-quoted: no keyword or space rules to get wrong. */
const quoted = (v: string): string => (NEEDS_ESCAPE.test(v) ? `"${v.replace(ESCAPE, '\\$&')}"` : `"${v}"`);

/**
 * The array literal of `get` applied to each row, without building the intermediate array.
 * Numbers must be finite or NaN/±Infinity (which `float8` accepts as written); strings must not hold U+0000
 * (PostgreSQL text cannot, and the worker strips it on decode).
 */
export function arrayLiteral<R>(rows: readonly R[], get: (row: R) => unknown): string {
  let out = '{';
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) out += ',';
    out += scalarText(get(rows[i]!), 'NULL', quoted, 'array literal');
  }
  return `${out}}`;
}
