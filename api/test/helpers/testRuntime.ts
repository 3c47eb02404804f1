/**
 * Test assembly: the same runtime the api uses, on the real servers when DATABASE_URL / REDIS_URL are set and on
 * the embedded default (in-memory PGlite, in-process queue) otherwise. Each runtime gets its own Redis prefix,
 * deleted on close; projects isolate data on a shared PostgreSQL database.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { toWire, type Batch } from '@loupe/contract';
import { configSchema, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createApiToken } from '../../src/projects/createApiToken.ts';
import { createProject } from '../../src/projects/createProject.ts';
import { deleteKeysWithPrefix } from '../../src/queue/redisKeys.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { listen, type RunningServer } from '../../src/server.ts';

export const mode = process.env.DATABASE_URL ? 'postgres' : 'pglite';
export const ORIGIN = 'https://shop.example.com';

export interface TestApi {
  runtime: Runtime;
  server: RunningServer;
  url: string;
  config: Config;
  close(): Promise<void>;
}

/** Config for tests: env plus overrides; in-memory PGlite unless DATABASE_URL is set. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return configSchema.parse({
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    LOUPE_REDIS_PREFIX: `${process.env.LOUPE_TEST_REDIS_PREFIX ?? 'loupe-test'}-${randomBytes(6).toString('hex')}`,
    LOUPE_DATA_DIR: 'memory://',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    LOUPE_RATE_PER_IP: '100000',
    LOUPE_RATE_PER_PROJECT: '100000',
    // Account throttles count per client IP in the database, which every test (and earlier runs) share.
    LOUPE_LOGIN_MAX_PER_IP: '1000000',
    LOUPE_SIGNUP_MAX_PER_IP: '1000000',
    LOUPE_RESET_MAX_PER_IP: '1000000',
    // Tests judge sessions by calling the analyzer, so figures do not change under them.
    LOUPE_INSIGHT_INTERVAL_SECONDS: '0',
    LOUPE_OUTBOX_DIR: path.join(os.tmpdir(), `loupe-outbox-${randomBytes(6).toString('hex')}`),
    ...overrides,
  });
}

export async function startTestApi(overrides: Record<string, string> = {}, opts: { workers?: boolean } = {}): Promise<TestApi> {
  const config = testConfig(overrides);
  const runtime = await createRuntime(config, createLogger(config.LOG_LEVEL));
  if (opts.workers !== false) runtime.startWorkers();
  const server = await listen(runtime, '127.0.0.1', 0);
  return {
    runtime,
    server,
    url: server.url,
    config,
    async close() {
      await server.close();
      if (config.REDIS_URL) await deleteKeysWithPrefix(config.REDIS_URL, config.LOUPE_REDIS_PREFIX);
    },
  };
}

export async function makeProject(api: TestApi, settings: Record<string, unknown> = {}) {
  const project = await createProject(api.runtime.deps.db.prisma, {
    name: `test ${randomBytes(3).toString('hex')}`,
    settings: { allowedOrigins: [ORIGIN], ...settings },
  });
  const { token } = await createApiToken(api.runtime.deps.db.sql, { name: 'test', projectIds: [project.id] });
  return { ...project, token };
}

export interface PostOptions {
  origin?: string | null;
  contentType?: string;
  gzip?: boolean;
  encParam?: string;
  headers?: Record<string, string>;
  userAgent?: string;
}

/** POSTs a batch (or a raw body) to /collect the way a browser would. */
export async function postBatch(api: TestApi, batch: Batch | string | Buffer, o: PostOptions = {}): Promise<Response> {
  let body: string | Buffer = typeof batch === 'string' || Buffer.isBuffer(batch) ? batch : JSON.stringify(toWire(batch));
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'text/plain;charset=UTF-8',
    'user-agent': o.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    ...o.headers,
  };
  if (o.origin !== null) headers.origin = o.origin ?? ORIGIN;
  if (o.gzip) {
    body = gzipSync(body);
    if (!o.encParam) headers['content-encoding'] = 'gzip';
  }
  const qs = o.encParam ? `?enc=${o.encParam}` : '';
  return fetch(`${api.url}/collect${qs}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Counts rows of a project in a table. */
export async function countRows(api: TestApi, table: string, projectId: string): Promise<number> {
  const [row] = await api.runtime.deps.db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE project_id = $1`,
    [projectId],
  );
  return row?.n ?? 0;
}

/** Waits until no inbox row of the project is unprocessed. */
export async function waitProcessed(api: TestApi, projectId: string, timeoutMs = 20_000): Promise<void> {
  await eventually(
    async () => {
      const [row] = await api.runtime.deps.db.sql.query<{ n: number; p: number }>(
        `SELECT count(*)::int AS n, count(processed_at)::int AS p FROM inbox_batches WHERE project_id = $1`,
        [projectId],
      );
      return row !== undefined && row.n > 0 && row.n === row.p;
    },
    timeoutMs,
    'inbox to be processed',
  );
}
