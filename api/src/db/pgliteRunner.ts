import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SqlRunner } from '@loupe/prisma/sql';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

function runnerOn(db: Queryable, txn: SqlRunner['transaction']): SqlRunner {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      const res = await db.query<R>(sql, params as unknown[] | undefined);
      return res.rows;
    },
    async exec(script: string): Promise<void> {
      await db.exec(script);
    },
    async copyFrom(table: string, columns: readonly string[], text: string): Promise<void> {
      // PGlite has no STDIN: COPY reads the blob handed over with the query as the file /dev/blob.
      await db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
    },
    transaction: txn,
  };
}

/**
 * A SqlRunner over PGlite. PGlite is one connection: its `transaction` holds it exclusively, so other queries
 * wait for the transaction to end.
 */
export function pgliteRunner(db: PGlite): SqlRunner {
  const transaction = <T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> =>
    db.transaction((tx) =>
      fn(
        runnerOn(tx, () => {
          throw new Error('nested transactions are not supported');
        }),
      ),
    );
  return runnerOn(db, transaction);
}
