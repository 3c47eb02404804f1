/**
 * Database selection: `DATABASE_URL` set → PostgreSQL through node-postgres (one pool shared by Prisma's
 * `@prisma/adapter-pg` and the set-based hot paths); unset → PGlite, in-process, in a data directory this process
 * locks. Migrations are applied at open on both, with the same migrator (`@loupe/prisma/migrations`).
 */
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@loupe/prisma';
import { applyMigrations } from '@loupe/prisma/migrations';
import type { SqlRunner } from '@loupe/prisma/sql';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { lockDataDir } from './dataDirLock.ts';
import { pgliteRunner } from './pgliteRunner.ts';
import { pgRunner } from './pgRunner.ts';

export interface Database {
  kind: 'postgres' | 'pglite';
  /** Set-based SQL for hot paths (ingest, workers). */
  sql: SqlRunner;
  /** Everything else. */
  prisma: PrismaClient;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` for a throwaway in-memory database (tests). */
  dataDir: string;
  logger: Logger;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

// int8 → string keeps ids exact; timestamps stay Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => v);

/** Opens the configured database and brings its schema up to date (a failing migration throws). */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const log = opts.logger.child({ component: 'db' });
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', (err) => log.error({ err }, 'idle PostgreSQL connection failed'));
    const sql = pgRunner(pool);
    try {
      const { applied } = await applyMigrations(sql, { log: (m) => log.info(m) });
      if (applied.length) log.info({ applied }, 'migrations applied');
    } catch (err) {
      await pool.end();
      throw err;
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      kind: 'postgres',
      sql,
      prisma,
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }

  const inMemory = opts.dataDir.startsWith('memory://');
  const release = inMemory ? () => undefined : lockDataDir(opts.dataDir);
  let db: PGlite | undefined;
  try {
    db = inMemory ? new PGlite() : new PGlite(opts.dataDir);
    const pglite = db;
    await db.waitReady;
    const sql = pgliteRunner(db);
    const { applied } = await applyMigrations(sql, { log: (m) => log.info(m) });
    if (applied.length) log.info({ applied }, 'migrations applied');
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
    return {
      kind: 'pglite',
      sql,
      prisma,
      async close() {
        await prisma.$disconnect();
        await pglite.close();
        release();
      },
    };
  } catch (err) {
    await db?.close().catch(() => undefined);
    release();
    throw err;
  }
}
