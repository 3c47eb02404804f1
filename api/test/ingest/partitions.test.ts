import assert from 'node:assert/strict';
import { EventType, type LoupeEvent } from '@loupe/contract';
import { makeBatch, newClientId } from '@loupe/contract/testing';
import { partitionLockKey } from '../../src/workers/partitionLocks.ts';
import { countRows, eventually, makeProject, mode, postBatch, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';

const PARTITIONS = 3;
// Only wake-up jobs process here: a sweeper pass would hide a batch that the jobs left behind.
const NO_SWEEPER = { LOUPE_SWEEP_INTERVAL_SECONDS: '3600', LOUPE_SWEEP_AFTER_SECONDS: '3600' };

describe(`ingest partitions (${mode}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({
      ...NO_SWEEPER,
      LOUPE_WORKER_CONCURRENCY: '4',
      LOUPE_INGEST_PARTITIONS: String(PARTITIONS),
      // Small claims: many transactions, on every partition at once.
      LOUPE_WORKER_CLAIM_MAX: '4',
    });
  });
  after(async () => api?.close());

  it('stores every batch exactly once with concurrent workers on partitioned claims', async () => {
    const project = await makeProject(api);
    const t0 = Date.now() - 60_000;
    const sessions = Array.from({ length: 30 }, () => ({ visitorId: newClientId(), sessionId: newClientId(), pageViewId: newClientId() }));
    const posts = sessions.flatMap((s, si) =>
      [0, 1, 2].map((seq) => {
        const events: LoupeEvent[] = [
          ...(seq === 0 ? [{ type: EventType.PageView, time: t0 + si, pageViewId: s.pageViewId, url: 'https://shop.example.com/', navigation: 'load' } as const] : []),
          ...Array.from({ length: seq + 1 }, (_, i) => ({
            type: EventType.Click, time: t0 + si + 1000 * seq + i, x: 1, y: 2, pageX: 1, pageY: 2, selector: 'main > button', relX: 0.5, relY: 0.5, interactive: true,
          }) as const),
        ];
        return postBatch(api, makeBatch({ projectKey: project.ingestKey, ...s, seq, clientTime: t0 + 5000 + si, events }));
      }),
    );
    for (const res of await Promise.all(posts)) assert.equal(res.status, 200);
    await waitProcessed(api, project.id);

    // 1 + 2 + 3 clicks per session, each stored once and counted once on its session.
    assert.equal(await countRows(api, 'clicks', project.id), sessions.length * 6);
    assert.equal(await countRows(api, 'page_views', project.id), sessions.length);
    const rows = await api.runtime.deps.db.sql.query<{ click_count: number; page_count: number }>(
      'SELECT click_count, page_count FROM sessions WHERE project_id = $1',
      [project.id],
    );
    assert.equal(rows.length, sessions.length);
    for (const r of rows) assert.deepEqual([r.click_count, r.page_count], [6, 1]);
  });

  it("processes a batch whose partition was busy when its wake-up came, once the holder is done (no sweeper)", async function () {
    // PGlite has one connection, so its advisory locks never make a partition busy.
    if (mode !== 'postgres') this.skip();
    const project = await makeProject(api);
    const s = { visitorId: newClientId(), sessionId: newClientId(), pageViewId: newClientId() };
    const sql = api.runtime.deps.db.sql;
    const [part] = await sql.query<{ k: number }>('SELECT (hashtext($1) & 2147483647) % $2::int AS k', [s.sessionId, PARTITIONS]);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // Another worker's transaction, as it were: holds the partition's lock while the batch arrives.
    const holder = sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [partitionLockKey(part!.k)]);
      locked();
      await released;
    });
    await isLocked;
    const res = await postBatch(api, makeBatch({ projectKey: project.ingestKey, ...s, seq: 0 }));
    assert.equal(res.status, 200);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(await countRows(api, 'page_views', project.id), 0, 'processed while its partition was locked');
    release();
    await holder;
    await eventually(async () => (await countRows(api, 'page_views', project.id)) === 1, 10_000, 'the batch to be processed');
  });
});
