import assert from 'node:assert/strict';
import { arrayLiteral } from '../../src/workers/arrayLiteral.ts';
import { openDatabase, type Database } from '../../src/db/openDatabase.ts';
import { createLogger } from '../../src/logger.ts';

// Values the tracker can send verbatim (selectors, URLs, messages, tag values): every character an array literal
// gives meaning to, plus the words it could mistake for NULL.
const TEXTS: (string | null)[] = [
  '', ' ', 'NULL', 'null', '"', '\\', '\\"', '"\\', 'a,b', '{x}', '{"a":1}', 'tab\there', 'line\nbreak',
  "it's", 'ümlaut ✓ 🛒', '  padded  ', 'div > a[href="/x?y=1&z={2}"]', null,
];

describe('arrayLiteral (the bulk writes\' parameter encoding)', () => {
  let db: Database;
  before(async () => {
    db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://', logger: createLogger('silent') });
  });
  after(async () => db.close());

  it('round-trips text through the database unchanged, NULLs and look-alikes apart', async () => {
    const rows = await db.sql.query<{ v: string | null }>(
      'SELECT u.v FROM unnest($1::text::text[]) WITH ORDINALITY AS u(v, n) ORDER BY u.n',
      [arrayLiteral(TEXTS, (v) => v)],
    );
    assert.deepEqual(rows.map((r) => r.v), TEXTS);
  });

  it('round-trips numbers, booleans, jsonb and timestamps', async () => {
    const nums = [0, -1, 2147483647, 1.5, -0.000001, 1e300, Number.NaN, Number.POSITIVE_INFINITY, null];
    const bools = [true, false, null];
    const json = [JSON.stringify({ k: 'v "q" \\ {}' }), null];
    const times = ['2026-11-29T04:05:06.789Z', null];
    const [row] = await db.sql.query<{ f: number[]; b: (boolean | null)[]; j: unknown[]; t: string[]; big: string[] }>(
      `SELECT (SELECT array_agg(x ORDER BY n) FROM unnest($1::text::float8[]) WITH ORDINALITY AS u(x, n)) AS f,
              $2::text::bool[] AS b, $3::text::jsonb[] AS j,
              (SELECT array_agg(to_char(x AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ORDER BY n)
                 FROM unnest($4::text::timestamptz[]) WITH ORDINALITY AS u(x, n)) AS t,
              $5::text::int8[]::text[] AS big`,
      [
        arrayLiteral(nums, (v) => v),
        arrayLiteral(bools, (v) => v),
        arrayLiteral(json, (v) => v),
        arrayLiteral(times, (v) => v),
        arrayLiteral([9007199254740993n, 42], (v) => v),
      ],
    );
    assert.ok(row);
    assert.deepEqual(row.f.map((x) => (x === null ? null : Number(x))), nums);
    assert.deepEqual(row.b, bools);
    assert.deepEqual(row.j, [{ k: 'v "q" \\ {}' }, null]);
    assert.deepEqual(row.t, times);
    assert.deepEqual(row.big, ['9007199254740993', '42']);
  });

  it('refuses values it has no encoding for instead of sending something else', () => {
    assert.throws(() => arrayLiteral([{}], (v) => v), /cannot encode a object/);
  });
});
