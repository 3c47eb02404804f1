import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { applyMigrations, defaultMigrationsDir, listMigrations, migrationChecksum } from '../migrations.ts';
import type { SqlRunner } from '../sql.ts';
import { pgliteRunner, pgRunner } from './runners.ts';

/** Every table schema.prisma maps a model to, read from the schema itself so new models are covered. */
async function modelTables(): Promise<string[]> {
  const schema = await readFile(new URL('../schema.prisma', import.meta.url), 'utf8');
  const blocks = schema.match(/^model \w+ \{[\s\S]*?^\}/gm) ?? [];
  return blocks.map((b) => /@@map\("([^"]+)"\)/.exec(b)?.[1] ?? assert.fail(`model without @@map: ${b.slice(0, 40)}`)).sort();
}

async function tables(db: SqlRunner): Promise<string[]> {
  const rows = await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  return rows.map((r) => r.t);
}

interface Recorded {
  migration_name: string;
  checksum: string;
  finished: boolean;
  applied_steps_count: number;
}
const recorded = (db: SqlRunner) =>
  db.query<Recorded>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count
       FROM "_prisma_migrations" ORDER BY migration_name`,
  );

/** A temp copy of the real migrations, plus whatever extra folders a test adds. */
async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loupe-migs-'));
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

const BROKEN = '99991231000000_broken';

/** The same behaviour on every database: each `open()` gives a fresh, empty database. */
function migratorSuite(open: () => Promise<{ db: SqlRunner; close: () => Promise<void> }>) {
  let db: SqlRunner;
  let close: () => Promise<void>;
  const temps: string[] = [];
  beforeEach(async () => ({ db, close } = await open()));
  afterEach(async () => {
    await close();
    for (const d of temps.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('creates every table and records each migration like prisma migrate deploy', async () => {
    const names = await listMigrations();
    assert.ok(names.length > 0, 'no migrations found');
    const logs: string[] = [];
    const { applied } = await applyMigrations(db, { log: (m) => logs.push(m) });
    assert.deepEqual(applied, names);
    assert.equal(logs.length, names.length);
    const have = await tables(db);
    for (const t of await modelTables()) assert.ok(have.includes(t), `table ${t} missing`);
    const rows = await recorded(db);
    assert.deepEqual(rows.map((r) => r.migration_name), names);
    for (const r of rows) {
      const file = await readFile(join(defaultMigrationsDir, r.migration_name, 'migration.sql'));
      assert.equal(r.checksum, migrationChecksum(file));
      assert.equal(r.finished, true);
      assert.equal(r.applied_steps_count, 1);
    }
  });

  it('applies nothing the second time', async () => {
    await applyMigrations(db);
    const before = await recorded(db);
    assert.deepEqual(await applyMigrations(db), { applied: [] });
    assert.deepEqual(await recorded(db), before);
  });

  it('fails loudly on a broken migration: rolled back, not recorded, earlier ones kept, fails again next time', async () => {
    const dir = await copyMigrations();
    temps.push(dir);
    await mkdir(join(dir, BROKEN));
    await writeFile(join(dir, BROKEN, 'migration.sql'), 'CREATE TABLE "half_done" (id INT);\nSELECT * FROM "no_such_table";\n');
    const good = await listMigrations(defaultMigrationsDir);
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(applyMigrations(db, { dir }), (e: Error) => {
        assert.match(e.message, new RegExp(`Migration ${BROKEN} failed`));
        assert.match(e.message, /no_such_table/);
        return true;
      });
      assert.deepEqual((await recorded(db)).map((r) => r.migration_name), good);
      assert.ok(!(await tables(db)).includes('half_done'), 'the broken migration was not rolled back');
    }
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const dir = await copyMigrations();
    temps.push(dir);
    await applyMigrations(db, { dir });
    const [first] = await listMigrations(dir);
    await appendFile(join(dir, first as string, 'migration.sql'), '\n-- edited later\n');
    await assert.rejects(applyMigrations(db, { dir }), new RegExp(`Migration ${first} was modified`));
  });
}

describe('applyMigrations on PGlite (in memory)', function () {
  migratorSuite(async () => {
    const pglite = new PGlite();
    return { db: pgliteRunner(pglite), close: () => pglite.close() };
  });
});

describe('applyMigrations on PostgreSQL (DATABASE_URL)', function () {
  const url = process.env.DATABASE_URL;
  let admin: pg.Pool | undefined;
  const created: string[] = [];

  before(function () {
    if (!url) this.skip();
    admin = new pg.Pool({ connectionString: url, max: 1 });
  });
  after(async () => {
    for (const name of created) await admin?.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin?.end();
  });

  /** A throwaway database on the server in DATABASE_URL, dropped in `after`. */
  async function scratchPool(max = 4): Promise<pg.Pool> {
    const name = `loupe_mig_${randomBytes(6).toString('hex')}`;
    await admin?.query(`CREATE DATABASE "${name}"`);
    created.push(name);
    const target = new URL(url as string);
    target.pathname = `/${name}`;
    return new pg.Pool({ connectionString: target.toString(), max });
  }

  migratorSuite(async () => {
    const pool = await scratchPool();
    return { db: pgRunner(pool), close: () => pool.end() };
  });

  it('two processes migrating at once apply each migration exactly once', async () => {
    const pool = await scratchPool();
    const other = new pg.Pool({ connectionString: (pool.options as { connectionString: string }).connectionString, max: 4 });
    try {
      const [a, b] = await Promise.all([applyMigrations(pgRunner(pool)), applyMigrations(pgRunner(other))]);
      assert.deepEqual([...a.applied, ...b.applied].sort(), await listMigrations());
      assert.deepEqual((await recorded(pgRunner(pool))).map((r) => r.migration_name), await listMigrations());
    } finally {
      await Promise.all([pool.end(), other.end()]);
    }
  });
});
