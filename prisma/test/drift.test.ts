import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir, defaultSchemaPath, diffSql } from '../tools/engine.ts';
import { createMigration, withoutPublicSchema } from '../tools/createMigration.ts';

describe('schema.prisma ↔ migrations drift', function () {
  this.timeout(120_000); // each diff boots the WASM engine and replays the migrations on a shadow PGlite
  let tmp: string;
  beforeEach(async () => (tmp = await mkdtemp(join(tmpdir(), 'loupe-drift-'))));
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  /** A copy of schema.prisma with one extra nullable column on `projects`. */
  async function editedSchema(): Promise<string> {
    const schema = await readFile(defaultSchemaPath, 'utf8');
    const edited = schema.replace(/(model Project \{\n)/, '$1  driftProbe String? @map("drift_probe")\n');
    assert.notEqual(edited, schema, 'could not edit the schema copy');
    const path = join(tmp, 'schema.prisma');
    await writeFile(path, edited);
    return path;
  }

  it('the migrations build exactly what schema.prisma describes (else: npm run migration:create -w @loupe/prisma -- <name>)', async () => {
    const sql = await diffSql({ from: 'migrations', to: 'schema' });
    assert.equal(sql, '', `schema.prisma has changes no migration covers:\n${sql}`);
  });

  it('does report a difference when the schema changes (so the check above can fail)', async () => {
    const sql = await diffSql({ from: 'migrations', to: 'schema', schemaPath: await editedSchema() });
    assert.match(sql, /ALTER TABLE "projects" ADD COLUMN\s+"drift_probe" TEXT/);
  });

  it('diffs from an empty database to the full schema', async () => {
    const sql = await diffSql({ from: 'empty', to: 'schema' });
    assert.match(sql, /CREATE TABLE "projects"/);
    assert.match(sql, /CREATE TABLE "checkout_events"/);
  });

  it('fails when a migration does not replay on the shadow database', async () => {
    const dir = join(tmp, 'migrations');
    await cp(defaultMigrationsDir, dir, { recursive: true });
    await mkdir(join(dir, '99991231000000_broken'));
    await writeFile(join(dir, '99991231000000_broken', 'migration.sql'), 'SELECT * FROM "no_such_table";\n');
    await assert.rejects(diffSql({ from: 'migrations', to: 'schema', migrationsDir: dir }), /no_such_table/);
  });

  it('createMigration writes a Prisma migration folder for the drift, then reports no changes', async () => {
    const dir = join(tmp, 'migrations');
    await cp(defaultMigrationsDir, dir, { recursive: true });
    const before = await readdir(dir);
    const schemaPath = await editedSchema();
    const folder = await createMigration('Add drift probe', dir, schemaPath);
    assert.match(folder ?? '', /^\d{14}_add_drift_probe$/);
    assert.match(await readFile(join(dir, folder as string, 'migration.sql'), 'utf8'), /"drift_probe"/);
    assert.match(await readFile(join(dir, 'migration_lock.toml'), 'utf8'), /^provider = "postgresql"$/m);
    assert.equal(await createMigration('again', dir, schemaPath), null);
    assert.deepEqual((await readdir(dir)).sort(), [...before, folder as string].sort());
  });

  it('drops the engine\'s CREATE SCHEMA "public" (it needs database-level CREATE even when public exists)', () => {
    const sql = '-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n-- CreateTable\nCREATE TABLE "t" ();\n';
    assert.equal(withoutPublicSchema(sql), '-- CreateTable\nCREATE TABLE "t" ();\n');
  });
});
