import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { SqlRunner } from '@loupe/prisma/sql';

function runnerOn(client: pg.Pool | pg.PoolClient, txn: SqlRunner['transaction']): SqlRunner {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      const res = await client.query(sql, params as unknown[] | undefined);
      return res.rows as R[];
    },
    async exec(script: string): Promise<void> {
      await client.query(script);
    },
    async copyFrom(table: string, columns: readonly string[], text: string): Promise<void> {
      // Outside a transaction, COPY takes a pooled connection of its own.
      const c = 'release' in client ? client : await client.connect();
      try {
        // The stream ends only once the server has answered, so a refused row rejects here.
        await pipeline(Readable.from([text]), c.query(copyFromStdin(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
      } finally {
        if (c !== client) c.release();
      }
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
