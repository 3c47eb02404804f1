/**
 * The minimal SQL surface shared by PostgreSQL (node-postgres) and PGlite. The migrator and the api's set-based
 * hot paths (ingest, workers) use it; everything else goes through Prisma Client.
 */
export interface SqlRunner {
  /** One parameterised statement ($1, $2 …); returns the rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A script of several statements, no parameters. */
  exec(script: string): Promise<void>;
  /**
   * `COPY table (columns) FROM STDIN` of rows already in COPY's text format (tab-separated, `\N` for NULL,
   * backslash escapes; see the api's `copyText`): the cheapest bulk load the server has, for plain INSERTs only.
   */
  copyFrom(table: string, columns: readonly string[], text: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}
