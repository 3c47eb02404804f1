/**
 * The text PostgreSQL reads a scalar from, shared by the bulk encodings (array literals, COPY text): `nullText` for
 * null and undefined, numbers and bigints as JavaScript writes them (float8 accepts NaN and ±Infinity as written),
 * booleans as `t`/`f`, strings through the encoding's own quoting. Anything else is refused, naming `format`.
 */
export function scalarText(v: unknown, nullText: string, quote: (s: string) => string, format: string): string {
  if (v === null || v === undefined) return nullText;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 't' : 'f';
    case 'string':
      return quote(v);
    default:
      throw new TypeError(`${format}: cannot encode a ${typeof v}`);
  }
}
