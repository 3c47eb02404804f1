import type pg from 'pg';
import type { SqlRunner } from '@loupe/prisma/sql';

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

function runnerOn(client: Queryable, txn: SqlRunner['transaction']): SqlRunner {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      const res = await client.query(sql, params as unknown[] | undefined);
      return res.rows as R[];
    },
    async exec(script: string): Promise<void> {
      await client.query(script);
    },
    transaction: txn,
  };
}

/** A SqlRunner over a node-postgres pool; each transaction takes its own connection. */
export function pgRunner(pool: pg.Pool): SqlRunner {
  const transaction = async <T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const nested = (): never => {
        throw new Error('nested transactions are not supported');
      };
      const result = await fn(runnerOn(client, nested));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  return runnerOn(pool, transaction);
}
