import assert from 'node:assert/strict';
import { makeBatch } from '@loupe/contract/testing';
import { INGEST_QUEUE, type IngestJob } from '../../src/workers/ingestJob.ts';
import { createMemoryQueue } from '../../src/queue/memoryQueue.ts';
import { purgeInbox, sweepInbox } from '../../src/workers/sweeper.ts';
import { countRows, makeProject, mode, postBatch, startTestApi, type TestApi } from '../helpers/testRuntime.ts';

describe(`inbox sweeper and purge (${mode})`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  it('re-enqueues only unprocessed rows older than the threshold, and purges only processed rows past retention', async () => {
    const project = await makeProject(api);
    for (let i = 0; i < 4; i++) assert.equal((await postBatch(api, makeBatch({ projectKey: project.ingestKey }))).status, 200);
    const sql = api.runtime.deps.db.sql;
    const ids = (await sql.query<{ id: string }>('SELECT id::text AS id FROM inbox_batches WHERE project_id = $1 ORDER BY id', [project.id])).map((r) => r.id);
    // ids[0]: processed 2 days ago; ids[1]: processed just now; ids[2]: unprocessed, 10 min old; ids[3]: unprocessed, fresh
    await sql.query(`UPDATE inbox_batches SET received_at = now() - interval '2 days', processed_at = now() - interval '2 days' WHERE id = $1`, [ids[0]]);
    await sql.query(`UPDATE inbox_batches SET processed_at = now() WHERE id = $1`, [ids[1]]);
    await sql.query(`UPDATE inbox_batches SET received_at = now() - interval '10 minutes' WHERE id = $1`, [ids[2]]);

    const queue = createMemoryQueue<IngestJob>({ name: INGEST_QUEUE });
    const seen: string[] = [];
    const consumer = queue.consume(async (job) => void seen.push(...job.data.ids), { concurrency: 1 });
    try {
      const swept = await sweepInbox(sql, queue, { sweepAfterMs: 60_000, retentionMs: 24 * 3600_000 });
      await queue.drained(5000);
      assert.ok(swept >= 1);
      assert.ok(seen.includes(ids[2]!), 'the old unprocessed row is re-enqueued');
      assert.ok(!seen.includes(ids[3]!) && !seen.includes(ids[0]!) && !seen.includes(ids[1]!));
    } finally {
      await consumer.close();
      await queue.close();
    }

    await purgeInbox(sql, 24 * 3600_000);
    const left = (await sql.query<{ id: string }>('SELECT id::text AS id FROM inbox_batches WHERE project_id = $1 ORDER BY id', [project.id])).map((r) => r.id);
    assert.deepEqual(left, ids.slice(1));
    assert.equal(await countRows(api, 'inbox_batches', project.id), 3);
  });
});
