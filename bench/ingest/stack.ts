/**
 * Starting and stopping the system under test for one run: the api (createRuntime + listen, in this process), its
 * workers (inline, or a separate `api/src/worker.ts` child process), and the measurement queries against the
 * same database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { configSchema } from '../../api/src/config.ts';
import { createLogger } from '../../api/src/logger.ts';
import { createProject } from '../../api/src/projects/createProject.ts';
import { deleteKeysWithPrefix } from '../../api/src/queue/redisKeys.ts';
import { createRuntime, type Runtime } from '../../api/src/runtime.ts';
import { listen, type RunningServer } from '../../api/src/server.ts';
import { ORIGIN } from './loadgen.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** tsx's loader as an absolute URL, so children resolve it whatever their cwd. */
/** The node flags of api/package.json's `worker` script (docs/ingest.md, "young generation"). */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=64'];
export const TSX_IMPORT = import.meta.resolve('tsx');

/** Where the ingest workers run; `none` starts no consumer at all (ingest-only measurements). */
export type Layout = 'inline' | 'separate' | 'none';

export interface PgTarget {
  kind: 'postgres';
  databaseUrl: string;
  redisUrl: string;
  /** The bench created this database: it may truncate tables between runs. */
  owned: boolean;
}
export interface PgliteTarget {
  kind: 'pglite';
}
export type Target = PgTarget | PgliteTarget;

export const EVENT_TABLES = ['page_views', 'clicks', 'scrolls', 'js_errors', 'custom_tags', 'custom_events', 'checkout_events'];
export const FINAL_TABLES = ['visitors', 'sessions', ...EVENT_TABLES];

/**
 * Marks the commit time of each worker transaction: a deferred constraint trigger runs at COMMIT, and the first row
 * of a transaction records `clock_timestamp()` under the transaction's xid; an inbox row's `xmin` after the worker's
 * UPDATE is that xid. `processed_at` alone is `now()`, the transaction's *start*, which would hide the time the
 * transaction itself takes before its rows become visible. Costs one small insert per worker transaction.
 */
export const COMMIT_MARKS_SQL = `
CREATE UNLOGGED TABLE IF NOT EXISTS bench_commit_marks (xid bigint PRIMARY KEY, at timestamptz NOT NULL);
CREATE OR REPLACE FUNCTION bench_mark_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('bench.marked', true), '') <> 'y' THEN
    PERFORM set_config('bench.marked', 'y', true);
    INSERT INTO bench_commit_marks VALUES (txid_current() % 4294967296, clock_timestamp()) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS bench_mark_commit ON inbox_batches;
CREATE CONSTRAINT TRIGGER bench_mark_commit AFTER UPDATE OF processed_at ON inbox_batches
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bench_mark_commit();
`;
export const DROP_COMMIT_MARKS_SQL = `
DROP TRIGGER IF EXISTS bench_mark_commit ON inbox_batches;
DROP FUNCTION IF EXISTS bench_mark_commit();
DROP TABLE IF EXISTS bench_commit_marks;
`;

export interface Stack {
  url: string;
  runtime: Runtime;
  workerPid: number | undefined;
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  newProject(label: string): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

const RAISED_LIMITS = { LOUPE_RATE_PER_IP: '1000000000', LOUPE_RATE_PER_PROJECT: '1000000000' };

/** Children started by the bench, killed on any exit path. */
export const children = new Set<ChildProcess>();

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

/** The worker process exactly as deployed (`npm run worker`: api/package.json), with the api's environment. */
function startWorkerProcess(env: Record<string, string>, extraArgs: string[]): { child: ChildProcess; output: () => string } {
  let output = '';
  const args = [...WORKER_NODE_FLAGS, ...extraArgs, '--import', TSX_IMPORT, path.join(REPO_ROOT, 'api/src/worker.ts')];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

export interface StartOptions {
  target: Target;
  layout: Layout;
  redisPrefix: string;
  /** Extra node flags for the worker child (e.g. --cpu-prof). */
  workerNodeArgs?: string[];
  /** Worker env overrides (e.g. LOUPE_WORKER_CONCURRENCY). */
  env?: Record<string, string>;
}

export async function startStack(o: StartOptions): Promise<Stack> {
  const cleanups: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => process.stderr.write(`cleanup: ${String(err)}\n`));
  };
  try {
    // LOUPE_* settings in the bench's own environment reach the api and the worker process alike.
    const loupeEnv = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('LOUPE_') && e[1] !== undefined));
    const env: Record<string, string> = { LOG_LEVEL: 'warn', PORT: '0', ...loupeEnv, ...RAISED_LIMITS, ...o.env };
    let dataDir: string | undefined;
    if (o.target.kind === 'postgres') {
      Object.assign(env, { DATABASE_URL: o.target.databaseUrl, REDIS_URL: o.target.redisUrl, LOUPE_REDIS_PREFIX: o.redisPrefix });
      const { redisUrl } = o.target;
      cleanups.push(() => deleteKeysWithPrefix(redisUrl, o.redisPrefix).then(() => undefined));
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'loupe-bench-pglite-'));
      dataDir = path.join(dir, 'data');
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    }
    const config = configSchema.parse({ ...env, ...(dataDir ? { LOUPE_DATA_DIR: dataDir } : {}) });
    const runtime = await createRuntime(config, createLogger(config.LOG_LEVEL));
    let server: RunningServer | null = null;
    cleanups.push(async () => {
      if (server) await server.close();
      else await runtime.close();
    });

    // Measurement queries: their own small pool on PostgreSQL; PGlite has one connection, the runtime's.
    let query: Stack['query'];
    if (o.target.kind === 'postgres') {
      const pool = new pg.Pool({ connectionString: o.target.databaseUrl, max: 2 });
      pool.on('error', () => undefined);
      cleanups.push(() => pool.end());
      query = async (sql, params) => (await pool.query(sql, params)).rows;
    } else {
      query = (sql, params) => runtime.deps.db.sql.query(sql, params);
    }
    await runtime.deps.db.sql.exec(COMMIT_MARKS_SQL);

    let workerPid: number | undefined;
    if (o.layout === 'inline') runtime.startWorkers();
    else if (o.layout === 'separate') {
      const w = startWorkerProcess(env, o.workerNodeArgs ?? []);
      workerPid = w.child.pid;
      w.child.once('exit', (code, signal) => {
        if (code !== 0 && signal !== 'SIGTERM' && code !== null) process.stderr.write(`\nworker process exited with ${code}:\n${w.output()}\n`);
      });
      cleanups.push(() => stopChild(w.child));
    }
    server = await listen(runtime, '127.0.0.1', 0);

    return {
      url: server.url,
      runtime,
      workerPid,
      query,
      async newProject(label) {
        const p = await createProject(runtime.deps.db.prisma, {
          name: `bench ${label} ${randomBytes(3).toString('hex')}`,
          settings: { allowedOrigins: [ORIGIN] },
        });
        return { id: p.id, key: p.ingestKey };
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
