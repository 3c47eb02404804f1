/**
 * Small `SqlRunner` adapters for the tests (the api has its own): node-postgres and PGlite.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { from as copyFromStdin } from 'pg-copy-streams';
import type pg from 'pg';
import type { SqlRunner } from '../sql.ts';

type PgQueryable = pg.Pool | pg.PoolClient;

const copySql = (table: string, columns: readonly string[], source: string): string => `COPY ${table} (${columns.join(', ')}) FROM ${source}`;

function pgQueryable(c: PgQueryable): Omit<SqlRunner, 'transaction'> {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      return (await c.query(sql, [...params])).rows as R[];
    },
    async exec(script: string) {
      // No parameters → simple query protocol, which accepts several statements.
      await c.query(script);
    },
    async copyFrom(table: string, columns: readonly string[], text: string) {
      const client = 'release' in c ? c : await c.connect();
      try {
        await pipeline(Readable.from([text]), client.query(copyFromStdin(copySql(table, columns, 'STDIN'))));
      } finally {
        if (client !== c) client.release();
      }
    },
  };
}

/** A `SqlRunner` over a `pg.Pool`; transactions pin one pooled client. */
export function pgRunner(pool: pg.Pool): SqlRunner {
  return {
    ...pgQueryable(pool),
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: SqlRunner = { ...pgQueryable(client), transaction: (inner) => inner(tx) };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
  };
}

function pgliteQueryable(db: PGlite | Transaction): Omit<SqlRunner, 'transaction'> {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<R>(sql, [...params])).rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async copyFrom(table: string, columns: readonly string[], text: string) {
      await db.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([text]) });
    },
  };
}

/** A `SqlRunner` over a PGlite instance. */
export function pgliteRunner(db: PGlite): SqlRunner {
  return {
    ...pgliteQueryable(db),
    transaction: <T>(fn: (tx: SqlRunner) => Promise<T>) =>
      db.transaction(async (t) => {
        const tx: SqlRunner = { ...pgliteQueryable(t), transaction: (inner) => inner(tx) };
        return fn(tx);
      }),
  };
}
