/**
 * The minimal SQL surface shared by PostgreSQL (node-postgres) and PGlite. The migrator and the api's set-based
 * hot paths (ingest, workers) use it; everything else goes through Prisma Client.
 */
export interface SqlRunner {
  /** One parameterised statement ($1, $2 …); returns the rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A script of several statements, no parameters. */
  exec(script: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}
