/**
 * Deletes rows in bounded statements, so a big project never holds one huge transaction (or one huge lock) and
 * progress can be reported between statements. Each statement commits on its own: a worker that dies midway
 * leaves fewer rows to delete, and the re-run carries on.
 */
import type { SqlRunner } from '@loupe/prisma/sql';
import { ident } from './tableRegistry.ts';

/** Rows per DELETE statement. */
export const DELETE_BATCH = 5000;

export interface RowFilter {
  /** A boolean SQL condition on the table's columns, with placeholders `$1`…`$n` for `params`. */
  where: string;
  params: readonly unknown[];
}

/** Rows of `table` matching `filter` (for progress totals). */
export async function countRows(sql: SqlRunner, table: string, filter: RowFilter): Promise<number> {
  const [row] = await sql.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${ident(table)} WHERE ${filter.where}`, filter.params);
  return Number(row?.n ?? 0);
}

/**
 * Deletes every row of `table` matching `filter`, `batchSize` rows per statement, calling `onBatch` after each.
 * Rows are picked by `ctid` and the DELETE re-checks the filter, so a row a concurrent update moved is simply picked
 * again by the next statement, and on a partitioned table (where a ctid is only unique per partition) nothing that
 * does not match is ever touched. Stops when a statement finds no matching row. Returns the rows deleted.
 */
export async function deleteInBatches(
  sql: SqlRunner,
  table: string,
  filter: RowFilter,
  onBatch: (deleted: number) => Promise<void>,
  batchSize = DELETE_BATCH,
): Promise<number> {
  const t = ident(table);
  const limit = `$${filter.params.length + 1}`;
  const statement = `WITH picked AS (SELECT ctid FROM ${t} WHERE ${filter.where} LIMIT ${limit}),
    gone AS (DELETE FROM ${t} WHERE ctid IN (SELECT ctid FROM picked) AND (${filter.where}) RETURNING 1)
    SELECT (SELECT count(*) FROM picked)::int AS found, (SELECT count(*) FROM gone)::int AS deleted`;
  let total = 0;
  for (;;) {
    const [row] = await sql.query<{ found: number; deleted: number }>(statement, [...filter.params, batchSize]);
    const found = row?.found ?? 0;
    if (found === 0) return total;
    total += row?.deleted ?? 0;
    await onBatch(row?.deleted ?? 0);
  }
}
