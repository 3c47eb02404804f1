import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirLockedError, lockDataDir } from '../../src/db/dataDirLock.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { createLogger } from '../../src/logger.ts';
import { createProject } from '../../src/projects/createProject.ts';
import { runEntry } from '../helpers/child.ts';

const logger = createLogger('silent');

describe('embedded database (PGlite)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-db-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps its data across a restart', async () => {
    const first = await openDatabase({ dataDir: dir, logger });
    const p = await createProject(first.prisma, { name: 'Survivor', settings: { timeZone: 'Asia/Tokyo' } });
    await first.close();
    const second = await openDatabase({ dataDir: dir, logger });
    try {
      const again = await second.prisma.project.findUniqueOrThrow({ where: { id: p.id } });
      assert.equal(again.name, 'Survivor');
      assert.equal((again.settings as { timeZone: string }).timeZone, 'Asia/Tokyo');
    } finally {
      await second.close();
    }
  });

  it('lets one process own a data directory: a second one is refused with a clear message', async () => {
    const db = await openDatabase({ dataDir: dir, logger });
    try {
      // another process (the CLI) on the same directory
      const { code, output } = await runEntry('src/cli.ts', { LOUPE_DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '' }, ['project', 'list']);
      assert.equal(code, 1);
      assert.match(output, /in use by process \d+; PGlite allows one process/);
    } finally {
      await db.close();
    }
    // released on close: the CLI can open it now
    const { code } = await runEntry('src/cli.ts', { LOUPE_DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '' }, ['project', 'list']);
    assert.equal(code, 0);
  });

  it('takes over a lock left by a dead process', () => {
    fs.writeFileSync(path.join(dir, 'loupe.lock'), '999999999');
    const release = lockDataDir(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'loupe.lock'), 'utf8'), String(process.pid));
    release();
    assert.equal(fs.existsSync(path.join(dir, 'loupe.lock')), false);
  });

  it('refuses a lock held by a live process', () => {
    fs.writeFileSync(path.join(dir, 'loupe.lock'), String(process.ppid));
    assert.throws(() => lockDataDir(dir), DataDirLockedError);
  });

  it('a broken migration fails the start loudly and is not recorded', async () => {
    const migrations = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-mig-'));
    try {
      const { applyMigrations } = await import('@loupe/prisma/migrations');
      const { pgliteRunner } = await import('../../src/db/pgliteRunner.ts');
      const { PGlite } = await import('@electric-sql/pglite');
      fs.mkdirSync(path.join(migrations, '20990101000000_broken'));
      fs.writeFileSync(path.join(migrations, '20990101000000_broken', 'migration.sql'), 'CREATE TABLE ok_one (id int);\nALTER TABLE no_such_table ADD COLUMN x int;');
      const pg = new PGlite();
      const sql = pgliteRunner(pg);
      await assert.rejects(applyMigrations(sql, { dir: migrations }), /20990101000000_broken[\s\S]*no_such_table/);
      const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'ok_one'`);
      assert.equal(rows[0]?.n, 0, 'the failed migration is rolled back whole');
      await pg.close();
    } finally {
      fs.rmSync(migrations, { recursive: true, force: true });
    }
  });
});
