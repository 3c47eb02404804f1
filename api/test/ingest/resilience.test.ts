/**
 * Exactly-once under failure: a worker (or, on the embedded default, the whole api) killed mid-processing and
 * restarted stores every accepted event once; jobs lost with Redis are recovered by the sweeper; PGlite data
 * survives a restart.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeBatch, makeMixedEvents, newClientId } from '@loupe/contract/testing';
import type { Batch } from '@loupe/contract';
import { deleteKeysWithPrefix } from '../../src/queue/redisKeys.ts';
import { runEntry, spawnEntry, type Child } from '../helpers/child.ts';
import { ORIGIN, countRows, eventually, makeProject, postBatch, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';

const redisMode = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

/** `n` batches of 20 events over `sessions` sessions; returns them and the clicks they carry. */
function batches(projectKey: string, n: number, sessions = 20): { list: Batch[]; clicks: number } {
  const list: Batch[] = [];
  const pvs = Array.from({ length: sessions }, () => ({ sid: newClientId(), vid: newClientId(), pv: newClientId(), seq: 0 }));
  for (let i = 0; i < n; i++) {
    const s = pvs[i % sessions]!;
    const now = Date.now();
    list.push(makeBatch({ projectKey, sessionId: s.sid, visitorId: s.vid, pageViewId: s.pv, seq: s.seq, clientTime: now, events: makeMixedEvents(20, now, s.pv, s.seq) }));
    s.seq++;
  }
  return { list, clicks: list.flatMap((b) => b.events).filter((e) => e.type === 'click').length };
}

async function postAll(api: { url: string }, list: Batch[], concurrency = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < list.length) {
        const res = await postBatch(api as TestApi, list[next++]!);
        assert.equal(res.status, 200, await res.text());
      }
    }),
  );
}

async function processedCount(sql: TestApi['runtime']['deps']['db']['sql'], projectId: string): Promise<number> {
  const [r] = await sql.query<{ n: number }>('SELECT count(processed_at)::int AS n FROM inbox_batches WHERE project_id = $1', [projectId]);
  return r?.n ?? 0;
}

describe('exactly once under failure (PostgreSQL + Redis, separate worker processes)', function () {
  let api: TestApi;
  const children: Child[] = [];
  before(async function () {
    if (!redisMode) this.skip();
    // the api accepts; workers run only in the child processes below
    api = await startTestApi({ LOUPE_INLINE_WORKERS: 'false' }, { workers: false });
  });
  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill();
  });
  after(async () => api?.close());

  const workerEnv = () => ({
    DATABASE_URL: api.config.DATABASE_URL,
    REDIS_URL: api.config.REDIS_URL,
    LOUPE_REDIS_PREFIX: api.config.LOUPE_REDIS_PREFIX,
    LOUPE_SWEEP_AFTER_SECONDS: '1',
    LOUPE_SWEEP_INTERVAL_SECONDS: '1',
    LOUPE_WORKER_CONCURRENCY: '2',
    // Small claims: a worker needs many transactions for the inbox, so a kill lands with work left however fast it is
    // (with the default 500, two transactions took all 600 batches before the first kill).
    LOUPE_WORKER_CLAIM_MAX: '20',
    LOG_LEVEL: 'info',
  });

  it('a worker killed mid-batch and restarted stores every event exactly once', async () => {
    const project = await makeProject(api);
    const { list, clicks } = batches(project.ingestKey, 600);
    await postAll(api, list);
    const sql = api.runtime.deps.db.sql;
    let kills = 0;
    let killedWithWorkLeft = 0;
    // kill -9 a worker three times while it is part-way through the inbox
    while (kills < 3) {
      const worker = spawnEntry('src/worker.ts', workerEnv());
      children.push(worker);
      await worker.waitFor(/Loupe worker started/);
      const before = await processedCount(sql, project.id);
      await eventually(async () => (await processedCount(sql, project.id)) > before || before === list.length, 20_000, 'progress');
      await worker.kill('SIGKILL');
      kills++;
      const done = await processedCount(sql, project.id);
      if (done === list.length) break;
      killedWithWorkLeft++;
    }
    assert.ok(killedWithWorkLeft >= 1, 'at least one kill must land while work remained');
    const last = spawnEntry('src/worker.ts', workerEnv());
    children.push(last);
    await waitProcessed(api, project.id, 60_000);
    assert.equal(await countRows(api, 'inbox_batches', project.id), list.length);
    assert.equal(await countRows(api, 'clicks', project.id), clicks);
    const [dupes] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT batch_id, idx FROM clicks WHERE project_id = $1 GROUP BY 1, 2 HAVING count(*) > 1) d`,
      [project.id],
    );
    assert.equal(dupes?.n, 0);
    const [sum] = await sql.query<{ clicks: number; pages: number }>(
      'SELECT sum(click_count)::int AS clicks, sum(page_count)::int AS pages FROM sessions WHERE project_id = $1',
      [project.id],
    );
    // session counters are additive: a batch counted twice would show here
    assert.equal(sum?.clicks, clicks);
    assert.equal(sum?.pages, 20);
  });

  it("the run's Redis keys deleted between accept and process: the sweeper recovers everything", async () => {
    const project = await makeProject(api);
    const { list, clicks } = batches(project.ingestKey, 100);
    await postAll(api, list);
    // let the api's last (debounced) wake-up reach Redis, so the wipe below takes every job there is
    await new Promise((r) => setTimeout(r, 200));
    const counts = await api.runtime.deps.queue.counts();
    assert.ok(counts.waiting > 0, 'jobs should be waiting in Redis before the wipe');
    assert.ok((await deleteKeysWithPrefix(api.config.REDIS_URL!, api.config.LOUPE_REDIS_PREFIX)) > 0);
    assert.equal((await api.runtime.deps.queue.counts()).waiting, 0);
    const worker = spawnEntry('src/worker.ts', workerEnv());
    children.push(worker);
    await waitProcessed(api, project.id, 30_000);
    assert.match(worker.output(), /re-enqueued inbox batches whose job was lost/);
    assert.equal(await countRows(api, 'clicks', project.id), clicks);
  });
});

describe('exactly once under failure (embedded default: PGlite, api killed and restarted)', function () {
  // Two api starts, 300 batches and a restart on PGlite: ~18 s on an idle 2-core machine, up to ~70 s on a loaded one.
  this.timeout(120_000);
  let dataDir: string;
  const children: Child[] = [];
  before(function () {
    if (process.env.DATABASE_URL) this.skip();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-pglite-'));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill();
  });
  after(() => dataDir && fs.rmSync(dataDir, { recursive: true, force: true }));

  const env = () => ({
    DATABASE_URL: '',
    REDIS_URL: '',
    LOUPE_DATA_DIR: dataDir,
    PORT: '0',
    LOUPE_DEMO: 'false',
    LOUPE_SWEEP_AFTER_SECONDS: '1',
    LOUPE_SWEEP_INTERVAL_SECONDS: '1',
    LOUPE_RATE_PER_IP: '100000',
    LOG_LEVEL: 'info',
  });

  async function start(): Promise<{ child: Child; url: string }> {
    const child = spawnEntry('src/main.ts', env());
    children.push(child);
    const [, url] = await child.waitFor(/Loupe is running at (http:\/\/\S+)/, 60_000);
    return { child, url: url! };
  }

  it('accepted batches survive a kill -9 mid-processing and are stored exactly once after restart', async () => {
    // the CLI opens the data dir itself, so it runs before the api takes the lock
    const cli = await runEntry('src/cli.ts', env(), ['project', 'create', 'Crash test', '--origin', ORIGIN, '--json']);
    assert.equal(cli.code, 0, cli.output);
    const project = JSON.parse(cli.output.trim().split('\n').pop()!) as { id: string; ingestKey: string; token: string };
    const first = await start();
    const { list, clicks } = batches(project.ingestKey, 300);
    await postAll({ url: first.url }, list);
    await first.child.kill('SIGKILL');

    const second = await start();
    const count = async (table: string) => {
      const res = await fetch(`${second.url}/api/projects/${project.id}/sessions?limit=500`, {
        headers: { authorization: `Bearer ${project.token}` },
      });
      const body = (await res.json()) as { sessions: { clickCount: number }[] };
      return table === 'clicks' ? body.sessions.reduce((n, s) => n + s.clickCount, 0) : body.sessions.length;
    };
    await eventually(async () => (await count('clicks')) === clicks, 60_000, `all ${clicks} clicks after restart`);
    assert.equal(await count('sessions'), 20);
    await second.child.kill('SIGTERM');
  });
});

