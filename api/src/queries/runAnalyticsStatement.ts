import type { SqlRunner } from '@loupe/prisma/sql';

/**
 * Runs one analytics statement (dashboard, funnel) with the settings they all want: a few hundred thousand rows
 * sorted and hashed in memory rather than on disk, no JIT (compiling these statements costs seconds and saves
 * nothing at this size), and a statement timeout so no request can hold a connection for long.
 */
export async function runAnalyticsStatement<R>(sql: SqlRunner, text: string, params: readonly unknown[]): Promise<R | undefined> {
  const [row] = await sql.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '64MB'`);
    await tx.query(`SET LOCAL jit = off`);
    await tx.query(`SET LOCAL statement_timeout = '30s'`);
    return tx.query<R>(text, params);
  });
  return row;
}
