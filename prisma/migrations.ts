/**
 * Applies the committed Prisma-format migrations (`migrations/<timestamp>_<name>/migration.sql`) at start-up, on
 * PostgreSQL or PGlite. The Prisma CLI cannot run here (it downloads a native engine), so this is our own migrator,
 * kept compatible with `prisma migrate deploy`: same `_prisma_migrations` table, same checksums, same advisory lock
 * key. A database migrated by either one can be taken over by the other.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlRunner } from './sql.ts';

/** `prisma/migrations`, beside this file, whatever the process's cwd. */
export const defaultMigrationsDir = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The key `prisma migrate deploy` locks; sharing it keeps our migrator and the CLI from running at once. */
const PRISMA_LOCK_KEY = 72707369;

// Prisma's own definition, so the CLI accepts a table we created (and we accept one it created).
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface ApplyOptions {
  /** Folder holding the migration folders; defaults to `prisma/migrations`. */
  dir?: string;
  /** Progress lines ("applying …"); silent by default. */
  log?: (msg: string) => void;
}

interface Row {
  migration_name: string;
  checksum: string;
  finished: boolean;
  rolled_back: boolean;
}

interface DbState {
  /** Successfully applied migrations and their recorded checksum. */
  applied: Map<string, string>;
  /** Migrations the Prisma CLI left half-applied (started, never finished, not marked rolled back). */
  failed: string[];
}

/**
 * The migration folder names in `dir`, sorted by name (the timestamp prefix makes that creation order).
 * A missing folder means no migrations.
 */
export async function listMigrations(dir: string = defaultMigrationsDir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Prisma's checksum: SHA-256 hex of the migration.sql bytes. */
export function migrationChecksum(script: string | Buffer): string {
  return createHash('sha256').update(script).digest('hex');
}

// Prisma also accepts the checksum of the LF-normalised script, so a checkout with CRLF line endings still matches.
function matchesChecksum(script: Buffer, checksum: string): boolean {
  if (migrationChecksum(script) === checksum) return true;
  return migrationChecksum(script.toString('utf8').replace(/\r\n/g, '\n')) === checksum;
}

async function readState(db: SqlRunner): Promise<DbState> {
  const rows = await db.query<Row>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
       FROM "_prisma_migrations" ORDER BY started_at`,
  );
  const applied = new Map<string, string>();
  const failed: string[] = [];
  for (const r of rows) {
    if (r.rolled_back) continue; // kept by Prisma only as an audit trail
    if (r.finished) applied.set(r.migration_name, r.checksum);
    else failed.push(r.migration_name);
  }
  return { applied, failed: failed.filter((n) => !applied.has(n)) };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Brings `db` up to date with the migrations folder, like `prisma migrate deploy`.
 *
 * Each pending migration runs in its own transaction together with its `_prisma_migrations` row, under the same
 * advisory lock key as Prisma (transaction-scoped, because a `SqlRunner` only pins a connection inside a
 * transaction); a migration another process applied meanwhile is skipped. Consequently a migration must not use
 * statements that refuse to run in a transaction (e.g. `CREATE INDEX CONCURRENTLY`).
 *
 * Throws, naming the migration, when a migration fails (it is rolled back and not recorded, so the next start
 * fails the same way), when an applied migration's file changed since (checksum mismatch), or when the Prisma CLI
 * left a failed migration behind (resolve it with `prisma migrate resolve`).
 *
 * @returns the names of the migrations applied by this call, in order.
 */
export async function applyMigrations(db: SqlRunner, opts: ApplyOptions = {}): Promise<{ applied: string[] }> {
  const dir = resolve(opts.dir ?? defaultMigrationsDir);
  const log = opts.log ?? (() => {});
  const names = await listMigrations(dir);
  const scripts = new Map<string, Buffer>();
  for (const name of names) {
    const file = join(dir, name, 'migration.sql');
    scripts.set(
      name,
      await readFile(file).catch((e: unknown) => {
        throw new Error(`Migration ${name}: cannot read ${file}: ${errorMessage(e)}`, { cause: e });
      }),
    );
  }

  // Under the lock: concurrent CREATE TABLE IF NOT EXISTS can still collide on the catalog.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_LOCK_KEY]);
    await tx.exec(CREATE_TABLE);
  });

  const state = await readState(db);
  if (state.failed.length > 0) {
    throw new Error(
      `Migration ${state.failed.join(', ')} failed in an earlier run (recorded by the Prisma CLI) and was never ` +
        'finished; fix the database and mark it with `prisma migrate resolve` before starting again',
    );
  }
  for (const [name, checksum] of state.applied) {
    const script = scripts.get(name);
    if (script && !matchesChecksum(script, checksum)) {
      throw new Error(`Migration ${name} was modified after it was applied (checksum mismatch); restore the original file`);
    }
  }
  for (const name of state.applied.keys()) {
    if (!scripts.has(name)) log(`migration ${name} is applied but missing from ${dir}`);
  }

  const applied: string[] = [];
  for (const name of names) {
    if (state.applied.has(name)) continue;
    const script = scripts.get(name) as Buffer;
    const ran = await db
      .transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_LOCK_KEY]);
        const done = await tx.query(
          `SELECT 1 FROM "_prisma_migrations"
            WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          [name],
        );
        if (done.length > 0) return false; // another process got there first
        log(`applying migration ${name}`);
        await tx.exec(script.toString('utf8'));
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
          [randomUUID(), migrationChecksum(script), name],
        );
        return true;
      })
      .catch((e: unknown) => {
        throw new Error(`Migration ${name} failed and was rolled back: ${errorMessage(e)}`, { cause: e });
      });
    if (ran) applied.push(name);
  }
  return { applied };
}
