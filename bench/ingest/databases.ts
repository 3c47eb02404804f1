/**
 * The bench's PostgreSQL databases and Redis prefix: the pipeline database (a throwaway one unless DATABASE_URL is
 * given), a throwaway reference database on the same server, and their removal at exit.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { deleteKeysWithPrefix } from '../../api/src/queue/redisKeys.ts';
import { onCleanup } from './lifecycle.ts';
import { DROP_COMMIT_MARKS_SQL, FINAL_TABLES } from './stack.ts';

/** Makes the names of this bench's databases and Redis keys unique, so concurrent or crashed runs never collide. */
const rand = randomBytes(4).toString('hex');

export interface PgSetup {
  adminUrl: string;
  pipelineUrl: string;
  /** The bench created the pipeline database, so it may truncate it between runs. */
  pipelineOwned: boolean;
  referenceUrl: string;
  redisUrl: string;
  redisPrefix: string;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function createThrowawayDb(adminUrl: string, name: string): Promise<string> {
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  onCleanup(`drop database ${name}`, () =>
    admin(adminUrl, async (c) => {
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
    }),
  );
  return withDatabase(adminUrl, name);
}

/**
 * Creates the databases (registering their removal) and picks the Redis prefix (registering its deletion). With
 * DATABASE_URL given, only the commit-mark trigger the bench installs there is removed afterwards.
 */
export async function setupPostgres(): Promise<PgSetup> {
  const given = process.env.DATABASE_URL?.trim() || undefined;
  const adminUrl = withDatabase(given ?? 'postgresql://postgres@127.0.0.1:5432/postgres', 'postgres');
  const redisUrl = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  const redisPrefix = `loupe-bench-${rand}`;
  onCleanup(`delete Redis keys ${redisPrefix}*`, () => deleteKeysWithPrefix(redisUrl, redisPrefix));
  const pipelineUrl = given ?? (await createThrowawayDb(adminUrl, `loupe_bench_${rand}`));
  if (given) {
    onCleanup('remove the commit-mark trigger from DATABASE_URL', async () => {
      const c = new pg.Client({ connectionString: given });
      await c.connect();
      await c.query(DROP_COMMIT_MARKS_SQL).finally(() => c.end());
    });
  }
  const referenceUrl = await createThrowawayDb(adminUrl, `loupe_bench_${rand}_ref`);
  return { adminUrl, pipelineUrl, pipelineOwned: !given, referenceUrl, redisUrl, redisPrefix };
}

/**
 * Starts a run from a clean database: empties the tables if the bench owns the database (a given DATABASE_URL is
 * never truncated; rows are counted per project there) and checkpoints, so one run's dirty pages do not slow the next.
 */
export async function resetPipelineDb(url: string, owned: boolean): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    if (owned) {
      const exists = await c.query<{ ok: boolean }>(`SELECT to_regclass('inbox_batches') IS NOT NULL AS ok`);
      if (exists.rows[0]?.ok) {
        await c.query(`TRUNCATE inbox_batches, ${FINAL_TABLES.join(', ')}`);
        await c.query(`TRUNCATE bench_commit_marks`).catch(() => undefined);
      }
    }
    await c.query('CHECKPOINT').catch(() => undefined);
  } finally {
    await c.end();
  }
}
