/**
 * The one place that drives Prisma's WASM schema engine (`@prisma/schema-engine-wasm`). The Prisma CLI cannot diff
 * here (it downloads a native engine first), so schema ↔ migrations diffs go through the WASM build of the same
 * engine, with in-memory PGlite databases behind a driver adapter. Everything engine-internal stays in this file.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { DiffTarget, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { defaultMigrationsDir, listMigrations } from '../migrations.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** `prisma/schema.prisma`, resolved from this file so scripts work from any cwd. */
export const defaultSchemaPath = resolve(here, '../schema.prisma');
export { defaultMigrationsDir };

/**
 * Timers the engine itself started; unref'd once an operation is over so they never keep a script alive. (The ~10 s
 * timer scripts used to wait for came from PGlite instances the engine never disposed; see `memoryFactory`.)
 */
const engineTimers = new Set<ReturnType<typeof setTimeout>>();
let loaded: Promise<void> | undefined;

/**
 * The package's own entry does `import * as wasm from "./x.wasm"`, which Node 20 cannot load without a flag, so we
 * instantiate the module ourselves with the generated JS glue as its import object (what the entry does in bundlers).
 */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const glue = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(glue), 'schema_engine_bg.wasm'));
    const imports: Record<string, unknown> = { ...bg };
    for (const name of Object.keys(imports)) {
      if (!name.startsWith('__wbg_setTimeout_')) continue;
      // Not armed by `diff` today, but other engine calls may: track them so none outlives its operation.
      imports[name] = (fn: () => void, ms: number) => {
        const t = setTimeout(() => {
          engineTimers.delete(t);
          fn();
        }, ms >>> 0);
        engineTimers.add(t);
        return t;
      };
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

/**
 * pglite-prisma-adapter 0.7.2 fires `exec` without awaiting it in `executeScript`, so a failing script looks like a
 * success and the error escapes as an unhandled rejection. Replace it with an awaited version.
 */
function fixedAdapter(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  const dispose = adapter.dispose.bind(adapter);
  return Object.assign(adapter, {
    executeScript: async (script: string) => {
      await db.exec(script);
    },
    dispose: async () => {
      await dispose();
      if (!db.closed) await db.close();
    },
  });
}

/**
 * A factory whose main and shadow databases are fresh in-memory PGlite instances. Every instance goes into `opened`
 * so the caller can close it: the engine does not always dispose its connections, and an open PGlite keeps a
 * ~10 s timer armed.
 */
function memoryFactory(opened: PGlite[]): SqlMigrationAwareDriverAdapterFactory {
  const open = async () => {
    const db = new PGlite();
    opened.push(db);
    return fixedAdapter(await new PrismaPGlite(db).connect(), db);
  };
  return { provider: 'postgres', adapterName: 'loupe-pglite-memory', connect: open, connectToShadowDb: open };
}

/**
 * Database errors cross the WASM boundary only as "External error id#N"; the error itself waits in the adapter's
 * registry. Put its message into the engine's error so a failing migration says why.
 */
function withDriverError(e: unknown, registry: ErrorRegistry): unknown {
  if (!(e instanceof Error)) return e;
  const id = /External error id#(\d+)/.exec(e.message)?.[1];
  const cause = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (cause === undefined) return e;
  const detail = cause instanceof Error ? cause.message : JSON.stringify(cause);
  return new Error(`${e.message}\nDatabase error: ${detail}`, { cause });
}

/** Runs `fn` on a fresh engine, then frees the engine and unrefs whatever timers it left. */
async function withEngine<T>(schema: string, schemaPath: string, fn: (e: SchemaEngine) => Promise<T>): Promise<T> {
  await loadWasm();
  const opened: PGlite[] = [];
  const adapter = bindMigrationAwareSqlAdapterFactory(memoryFactory(opened));
  const log = () => {}; // engine log lines; nothing we act on
  const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, log, adapter);
  try {
    return await fn(engine);
  } catch (e) {
    throw withDriverError(e, adapter.errorRegistry);
  } finally {
    engine.free();
    await Promise.all(opened.map((db) => (db.closed ? undefined : db.close())));
    for (const t of engineTimers) t.unref();
  }
}

/** Loads a migrations folder in the shape the engine expects (Prisma's `MigrationList`). */
async function migrationList(dir: string): Promise<MigrationList> {
  const names = await listMigrations(dir);
  const lockPath = join(dir, 'migration_lock.toml');
  const lock = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lock },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(join(dir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

export interface DiffOptions {
  /** Starting point: an empty database, or the database the migrations folder builds (replayed on a shadow PGlite). */
  from: 'empty' | 'migrations';
  /** Destination: the Prisma schema. */
  to: 'schema';
  /** Defaults to `prisma/schema.prisma`. */
  schemaPath?: string;
  /** Defaults to `prisma/migrations`. */
  migrationsDir?: string;
}

/**
 * The SQL script that takes a database from `from` to the schema; an empty string when there is nothing to do
 * (the engine's "This is an empty migration." comment is normalised away).
 */
export async function diffSql(opts: DiffOptions): Promise<string> {
  const schemaPath = resolve(opts.schemaPath ?? defaultSchemaPath);
  const schema = await readFile(schemaPath, 'utf8');
  const list = opts.from === 'migrations' ? await migrationList(resolve(opts.migrationsDir ?? defaultMigrationsDir)) : null;
  // No migrations yet means an empty database (the engine refuses a migrations folder without its lock file).
  const from: DiffTarget = list && list.migrationDirectories.length > 0 ? { tag: 'migrations', ...list } : { tag: 'empty' };
  const to: DiffTarget = { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] };
  const result = await withEngine(schema, schemaPath, (e) =>
    e.diff({ from, to, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } }),
  );
  const sql = result.stdout ?? '';
  return /^\s*(-- This is an empty migration\.\s*)?$/.test(sql) ? '' : sql;
}
