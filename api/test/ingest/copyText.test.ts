import assert from 'node:assert/strict';
import { copyText } from '../../src/workers/copyText.ts';
import type { Column } from '../../src/workers/rowColumns.ts';
import { openDatabase, type Database } from '../../src/db/openDatabase.ts';
import { createLogger } from '../../src/logger.ts';

// Values the tracker can send verbatim (selectors, URLs, messages, stacks, tag values): every character COPY's text
// format gives meaning to, the end-of-data marker, and the words it could mistake for NULL.
const TEXTS: (string | null)[] = [
  '', ' ', 'NULL', '\\N', '\\.', '.', '\\', '\\\\', 'tab\there', 'line\nbreak', 'cr\rlf\r\n', '\\t literally', '"quoted"',
  "it's", 'ümlaut ✓ 🛒', '  padded  ', 'div > a[href="/x?y=1&z={2}"]', 'at f (https://x.test/a.js:1:2)\n    at g', null,
];

interface Row {
  n: number;
  text: string | null;
  num: number | null;
  flag: boolean | null;
  big: bigint | string | null;
  ts: string | null;
  doc: string | null;
}

const COLUMNS: readonly Column<Row>[] = [
  ['n', 'int4', (r) => r.n],
  ['text', 'text', (r) => r.text],
  ['num', 'float8', (r) => r.num],
  ['flag', 'bool', (r) => r.flag],
  ['big', 'int8', (r) => r.big],
  ['ts', 'timestamptz', (r) => r.ts],
  ['doc', 'jsonb', (r) => r.doc],
];

describe('copyText (the worker\'s COPY encoding of event rows)', () => {
  let db: Database;
  before(async () => {
    db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://', logger: createLogger('silent') });
  });
  after(async () => db.close());

  /** COPYs `rows` into a temporary table and reads them back in order. */
  async function roundTrip(rows: Row[]): Promise<Record<string, unknown>[]> {
    return db.sql.transaction(async (tx) => {
      await tx.query(`CREATE TEMP TABLE copy_check (n int4, text text, num float8, flag bool, big int8, ts timestamptz, doc jsonb) ON COMMIT DROP`);
      await tx.copyFrom('copy_check', COLUMNS.map(([name]) => name), copyText(rows, COLUMNS));
      return tx.query(
        `SELECT n, text, num, flag, big::text AS big, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, doc
           FROM copy_check ORDER BY n`,
      );
    });
  }

  it('round-trips text through the database unchanged, NULLs and look-alikes apart', async () => {
    const rows = TEXTS.map((text, n) => ({ n, text, num: null, flag: null, big: null, ts: null, doc: null }));
    const back = await roundTrip(rows);
    assert.deepEqual(back.map((r) => r.text), TEXTS);
  });

  it('round-trips numbers, booleans, int8, timestamps and jsonb', async () => {
    const nums = [0, -1, 2147483647, 1.5, -0.000001, 1e300, Number.NaN, Number.POSITIVE_INFINITY, null];
    const rows: Row[] = nums.map((num, n) => ({
      n,
      text: null,
      num,
      flag: n % 3 === 0 ? true : n % 3 === 1 ? false : null,
      big: n === 0 ? 9007199254740993n : n === 1 ? '42' : null,
      ts: n === 0 ? '2026-11-29T04:05:06.789Z' : null,
      doc: n === 0 ? JSON.stringify({ k: 'v "q" \\ \t {}' }) : null,
    }));
    const back = await roundTrip(rows);
    assert.deepEqual(back.map((r) => (r.num === null ? null : Number(r.num))), nums);
    assert.deepEqual(back.map((r) => r.flag), rows.map((r) => r.flag));
    assert.deepEqual(back.slice(0, 3).map((r) => r.big), ['9007199254740993', '42', null]);
    assert.equal(back[0]!.ts, '2026-11-29T04:05:06.789Z');
    assert.deepEqual(back[0]!.doc, { k: 'v "q" \\ \t {}' });
  });

  it('COPYs outside a transaction too, on a connection of its own', async () => {
    const table = `copy_check_${process.pid}`;
    await db.sql.query(`CREATE TABLE ${table} (n int4, text text)`);
    try {
      const cols: readonly Column<{ n: number; text: string }>[] = [['n', 'int4', (r) => r.n], ['text', 'text', (r) => r.text]];
      await db.sql.copyFrom(table, ['n', 'text'], copyText([{ n: 1, text: 'a\tb' }, { n: 2, text: 'c' }], cols));
      assert.deepEqual(await db.sql.query(`SELECT n, text FROM ${table} ORDER BY n`), [{ n: 1, text: 'a\tb' }, { n: 2, text: 'c' }]);
    } finally {
      await db.sql.query(`DROP TABLE ${table}`);
    }
  });

  it('refuses values it has no encoding for instead of sending something else', () => {
    assert.throws(() => copyText([{}], [['x', 'text', (v) => v]]), /cannot encode a object/);
  });

  it('fails the transaction on a row the table refuses, storing none of the COPY', async () => {
    await assert.rejects(
      db.sql.transaction(async (tx) => {
        await tx.query('CREATE TEMP TABLE copy_bad (n int4 NOT NULL) ON COMMIT DROP');
        await tx.copyFrom('copy_bad', ['n'], copyText([{ n: 1 }, { n: null }], [['n', 'int4', (r: { n: number | null }) => r.n]]));
      }),
      /null value|not-null/i,
    );
  });
});
