import assert from 'node:assert/strict';
import { makeProject, mode, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';
import { call, seedVisitor, sessionIdsOf, waitJob } from './seed.ts';

describe(`visitor export (${mode}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api?.close());

  it("exports the visitor's rows from every table as a JSON attachment, and nobody else's", async () => {
    const sql = api.runtime.deps.db.sql;
    const p = await makeProject(api);
    const other = await makeProject(api);
    const v = await seedVisitor(api, p.ingestKey, { sessions: 2, batches: 2 });
    const neighbour = await seedVisitor(api, p.ingestKey, { sessions: 1 });
    await waitProcessed(api, p.id);
    const sessions = await sessionIdsOf(sql, p.id, v.visitorId);

    const res = await call(api, p.token, 'POST', `/api/projects/${p.id}/visitors/export`, { visitorId: v.visitorId });
    assert.equal(res.status, 202);
    const job = await res.json();
    assert.equal(job.kind, 'export_visitor');
    assert.equal(job.downloadUrl, null, 'no download before the job is done');
    await waitJob(sql, job.id, 'done');
    const status = await (await call(api, p.token, 'GET', `/api/projects/${p.id}/privacy-jobs/${job.id}`)).json();
    assert.equal(status.status, 'done');
    assert.equal(status.downloadUrl, `/api/projects/${p.id}/privacy-jobs/${job.id}/download`);

    const file = await call(api, p.token, 'GET', status.downloadUrl);
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-disposition') ?? '', /^attachment; filename="loupe-visitor-export-[^"]+\.json"$/);
    assert.match(file.headers.get('content-type') ?? '', /application\/json/);
    const doc = (await file.json()) as { format: string; visitorIds: string[]; tables: Record<string, Record<string, unknown>[]> };
    assert.equal(doc.format, 'loupe.visitor-export.v1');
    assert.deepEqual(doc.visitorIds, [v.visitorId]);
    const count = async (table: string, where: string, key: unknown) =>
      (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE project_id = $1 AND ${where}`, [p.id, key]))[0]!.n;
    assert.equal(doc.tables.visitors?.length, 1);
    assert.equal(doc.tables.sessions?.length, sessions.length);
    assert.equal(doc.tables.clicks?.length, await count('clicks', 'session_id = ANY($2::text[])', sessions));
    assert.equal(doc.tables.page_views?.length, await count('page_views', 'visitor_id = $2', v.visitorId));
    assert.equal(doc.tables.inbox_batches?.length, 4, 'the raw batches too');
    assert.ok((doc.tables.clicks?.length ?? 0) > 0);
    const text = JSON.stringify(doc);
    assert.ok(!text.includes(neighbour.visitorId), "no row of another visitor");
    for (const s of neighbour.sessionIds) assert.ok(!text.includes(s));

    // a job of another project is not found, through either route
    const foreign = await call(api, other.token, 'GET', `/api/projects/${other.id}/privacy-jobs/${job.id}`);
    assert.equal(foreign.status, 404);
    assert.equal((await call(api, other.token, 'GET', `/api/projects/${other.id}/privacy-jobs/${job.id}/download`)).status, 404);
    assert.equal((await call(api, other.token, 'GET', `/api/projects/${p.id}/privacy-jobs/${job.id}`)).status, 404);

    // erasing the visitor removes the export as well
    const erase = await (await call(api, p.token, 'POST', `/api/projects/${p.id}/visitors/erase`, { visitorId: v.visitorId })).json();
    await waitJob(sql, erase.id, 'done');
    assert.equal((await call(api, p.token, 'GET', status.downloadUrl)).status, 404);
  });
});
