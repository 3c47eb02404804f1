import assert from 'node:assert/strict';
import { EventType } from '@loupe/contract';
import { makeBatch, newClientId } from '@loupe/contract/testing';
import { createLogger } from '../../src/logger.ts';
import { runIngestJob } from '../../src/workers/startWorkers.ts';
import { countRows, makeProject, mode, postBatch, startTestApi, type TestApi } from '../helpers/testRuntime.ts';

describe(`worker robustness (${mode})`, () => {
  let api: TestApi;
  before(async () => {
    // no consumers: the test runs the job handler itself
    api = await startTestApi({}, { workers: false });
  });
  after(async () => {
    await api?.runtime.deps.db.sql.exec('DROP TRIGGER IF EXISTS poison ON clicks; DROP FUNCTION IF EXISTS poison_click();');
    await api?.close();
  });

  it('one batch that the database refuses does not hold back the others in its job', async () => {
    const sql = api.runtime.deps.db.sql;
    // stands in for any failure specific to one batch's rows
    await sql.exec(`CREATE FUNCTION poison_click() RETURNS trigger AS $$ BEGIN
        IF NEW.selector = 'poison' THEN RAISE EXCEPTION 'poisoned batch'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER poison BEFORE INSERT ON clicks FOR EACH ROW EXECUTE FUNCTION poison_click();`);
    const project = await makeProject(api);
    const click = (selector: string) => ({
      type: EventType.Click, time: Date.now(), x: 1, y: 1, pageX: 1, pageY: 1, selector, relX: 0, relY: 0, interactive: true,
    } as const);
    const selectors = ['a.one', 'poison', 'a.three'];
    for (const s of selectors) {
      const res = await postBatch(api, makeBatch({ projectKey: project.ingestKey, pageViewId: newClientId(), events: [click(s)] }));
      assert.equal(res.status, 200);
    }
    const ids = (await sql.query<{ id: string }>('SELECT id::text AS id FROM inbox_batches WHERE project_id = $1 ORDER BY id', [project.id])).map((r) => r.id);
    assert.equal(ids.length, 3);
    await assert.rejects(runIngestJob(sql, api.runtime.deps.projects, { ids, kind: 'wake' }, createLogger('silent'), { claimMax: 50 }), /poisoned batch/);
    const stored = await sql.query<{ selector: string }>('SELECT selector FROM clicks WHERE project_id = $1 ORDER BY selector', [project.id]);
    assert.deepEqual(stored.map((r) => r.selector), ['a.one', 'a.three']);
    const unprocessed = await sql.query<{ id: string; attempts: number }>(
      'SELECT id::text AS id, attempts FROM inbox_batches WHERE project_id = $1 AND processed_at IS NULL', [project.id]);
    assert.deepEqual(unprocessed, [{ id: ids[1], attempts: 1 }]);
    // bulk claims now leave the failed batch alone, so it cannot sink the batches claimed with it again
    await runIngestJob(sql, api.runtime.deps.projects, { ids: [], kind: 'wake' }, createLogger('silent'), { claimMax: 50 });
    assert.equal(await countRows(api, 'clicks', project.id), 2);
    // once the cause is gone, the sweeper's retry stores it, once
    await sql.exec('DROP TRIGGER poison ON clicks; DROP FUNCTION poison_click();');
    await runIngestJob(sql, api.runtime.deps.projects, { ids: [ids[1]!], kind: 'retry' }, createLogger('silent'), { claimMax: 50 });
    await runIngestJob(sql, api.runtime.deps.projects, { ids: [ids[1]!], kind: 'retry' }, createLogger('silent'), { claimMax: 50 });
    assert.equal(await countRows(api, 'clicks', project.id), 3);
  });

  it('strips U+0000, which PostgreSQL text cannot hold, instead of failing the batch', async () => {
    const project = await makeProject(api);
    const batch = makeBatch({
      projectKey: project.ingestKey,
      events: [{ type: EventType.Error, time: Date.now(), kind: 'error', message: 'bad\u0000byte' }],
    });
    assert.equal((await postBatch(api, batch)).status, 200);
    const ids = (await api.runtime.deps.db.sql.query<{ id: string }>('SELECT id::text AS id FROM inbox_batches WHERE project_id = $1', [project.id])).map((r) => r.id);
    await runIngestJob(api.runtime.deps.db.sql, api.runtime.deps.projects, { ids, kind: 'wake' }, createLogger('silent'), { claimMax: 50 });
    const [row] = await api.runtime.deps.db.sql.query<{ message: string }>('SELECT message FROM js_errors WHERE project_id = $1', [project.id]);
    assert.equal(row?.message, 'badbyte');
  });
});
