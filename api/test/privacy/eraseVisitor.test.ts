import assert from 'node:assert/strict';
import { hashIdentifyId } from '../../src/privacy/identifyHash.ts';
import { randomBytes } from 'node:crypto';
import { EventType } from '@loupe/contract';
import { makeBatch, makeMixedEvents, newClientId } from '@loupe/contract/testing';
import { runPrivacyJob } from '../../src/privacy/runPrivacyJob.ts';
import { visitorHash } from '../../src/privacy/visitorHash.ts';
import { createPrivacyJob } from '../../src/queries/createPrivacyJob.ts';
import { sweepInbox } from '../../src/workers/sweeper.ts';
import { runIngestJob } from '../../src/workers/startWorkers.ts';
import { makeProject, mode, postBatch, startTestApi, waitProcessed, type TestApi } from '../helpers/testRuntime.ts';
import { call, privacyContext, projectCounts, seedVisitor, sessionIdsOf, visitorCounts, waitInboxSettled, waitJob } from './seed.ts';

describe(`visitor erasure (${mode}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api?.close());

  it('leaves zero rows for the visitor and every other row intact; later batches of that visitor recreate nothing', async () => {
    const sql = api.runtime.deps.db.sql;
    const p = await makeProject(api);
    const other = await makeProject(api);
    const gone = await seedVisitor(api, p.ingestKey, { sessions: 2, batches: 3 });
    const kept = await seedVisitor(api, p.ingestKey, { sessions: 2, batches: 3 });
    // the same visitor id in another project is another person's data
    await seedVisitor(api, other.ingestKey, { visitorId: gone.visitorId });
    await waitProcessed(api, p.id);
    await waitProcessed(api, other.id);
    const goneSessions = await sessionIdsOf(sql, p.id, gone.visitorId);
    const keptSessions = await sessionIdsOf(sql, p.id, kept.visitorId);
    const goneBefore = await visitorCounts(sql, p.id, gone.visitorId, goneSessions);
    for (const t of ['inbox_batches', 'visitors', 'sessions', 'page_views', 'clicks', 'custom_tags', 'custom_events', 'checkout_events']) {
      assert.ok((goneBefore[t] ?? 0) > 0, `seeded ${t}`);
    }
    const keptBefore = await visitorCounts(sql, p.id, kept.visitorId, keptSessions);
    const otherBefore = await projectCounts(sql, other.id);

    const res = await call(api, p.token, 'POST', `/api/projects/${p.id}/visitors/erase`, { visitorId: gone.visitorId });
    assert.equal(res.status, 202);
    const job = await res.json();
    await waitJob(sql, job.id, 'done');
    assert.deepEqual(await visitorCounts(sql, p.id, gone.visitorId, goneSessions), {});
    assert.deepEqual(await visitorCounts(sql, p.id, kept.visitorId, keptSessions), keptBefore);
    assert.deepEqual(await projectCounts(sql, other.id), otherBefore);
    const status = await (await call(api, p.token, 'GET', `/api/projects/${p.id}/privacy-jobs/${job.id}`)).json();
    assert.equal(status.status, 'done');
    assert.ok(status.progress.done > 0 && status.progress.done === status.progress.total, JSON.stringify(status.progress));

    // a late batch: arrives after the erasure, in an old session and in a new one
    const late = [
      makeBatch({ projectKey: p.ingestKey, visitorId: gone.visitorId, sessionId: gone.sessionIds[0], seq: 50 }),
      makeBatch({ projectKey: p.ingestKey, visitorId: gone.visitorId }),
    ];
    for (const b of late) assert.equal((await postBatch(api, b)).status, 200);
    await waitInboxSettled(sql, p.id);
    assert.deepEqual(await visitorCounts(sql, p.id, gone.visitorId, [...goneSessions, late[1]!.sessionId]), {});
    assert.deepEqual(await visitorCounts(sql, p.id, kept.visitorId, keptSessions), keptBefore);

    // running the job twice is safe, and so is a second erasure of the same visitor
    assert.equal(await runPrivacyJob(privacyContext(api), job.id), false);
    const again = (await createPrivacyJob(sql, { projectId: p.id, kind: 'erase_visitor', params: { visitorId: gone.visitorId } }))!;
    assert.equal(await runPrivacyJob(privacyContext(api), again.id), true);
    assert.deepEqual(await visitorCounts(sql, p.id, kept.visitorId, keptSessions), keptBefore);
  });

  it('erases every device that identified with the same id, found by the raw id (hashed with the project salt)', async () => {
    const sql = api.runtime.deps.db.sql;
    const p = await makeProject(api);
    const [{ salt }] = (await sql.query<{ salt: string }>('SELECT identify_salt AS salt FROM projects WHERE id = $1', [p.id])) as [{ salt: string }];
    const idHash = hashIdentifyId(salt, 'anna@example.com');
    const laptop = await seedVisitor(api, p.ingestKey, { idHash, sessions: 1 });
    const phone = await seedVisitor(api, p.ingestKey, { idHash, sessions: 1 });
    const stranger = await seedVisitor(api, p.ingestKey, { sessions: 1 });
    await waitProcessed(api, p.id);
    const sessions = {
      laptop: await sessionIdsOf(sql, p.id, laptop.visitorId),
      phone: await sessionIdsOf(sql, p.id, phone.visitorId),
      stranger: await sessionIdsOf(sql, p.id, stranger.visitorId),
    };
    const strangerBefore = await visitorCounts(sql, p.id, stranger.visitorId, sessions.stranger);

    const two = await call(api, p.token, 'POST', `/api/projects/${p.id}/visitors/erase`, { visitorId: 'a', identifyHash: idHash });
    assert.equal(two.status, 400);

    // the admin knows the e-mail address, typed differently from how the page sent it
    const res = await call(api, p.token, 'POST', `/api/projects/${p.id}/visitors/erase`, { identifyId: '  Anna@Example.com ' });
    assert.equal(res.status, 202);
    const job = await res.json();
    await waitJob(sql, job.id, 'done');
    assert.deepEqual(await visitorCounts(sql, p.id, laptop.visitorId, sessions.laptop), {});
    assert.deepEqual(await visitorCounts(sql, p.id, phone.visitorId, sessions.phone), {});
    assert.deepEqual(await visitorCounts(sql, p.id, stranger.visitorId, sessions.stranger), strangerBefore);
    // tombstones keep hashes only
    const tombstones = await sql.query<{ visitor_hash: string }>('SELECT visitor_hash FROM visitor_erasures WHERE project_id = $1 ORDER BY 1', [p.id]);
    assert.deepEqual(tombstones.map((t) => t.visitor_hash), [visitorHash(laptop.visitorId), visitorHash(phone.visitorId)].sort());
    const [row] = await sql.query<{ params: unknown; result: unknown }>('SELECT params, result FROM privacy_jobs WHERE id = $1', [job.id]);
    assert.ok(!JSON.stringify(row).includes(idHash), 'the finished job no longer names the identify hash');

    // a device first seen after the erasure identifies with the erased hash: dropped, and so is the rest of it
    const tablet = newClientId();
    const sid = newClientId();
    const pv = newClientId();
    const now = Date.now();
    const identifying = makeBatch({ projectKey: p.ingestKey, visitorId: tablet, sessionId: sid, pageViewId: pv, seq: 0, clientTime: now,
      events: [...makeMixedEvents(10, now, pv, 0), { type: EventType.Identify, time: now - 1, idHash }] });
    assert.equal((await postBatch(api, identifying)).status, 200);
    await waitInboxSettled(sql, p.id);
    assert.equal((await postBatch(api, makeBatch({ projectKey: p.ingestKey, visitorId: tablet, sessionId: sid, pageViewId: pv, seq: 1 }))).status, 200);
    await waitInboxSettled(sql, p.id);
    assert.deepEqual(await visitorCounts(sql, p.id, tablet, [sid]), {});
    assert.equal(
      (await sql.query('SELECT 1 FROM visitor_erasures WHERE project_id = $1 AND visitor_hash = $2', [p.id, visitorHash(tablet)])).length,
      1,
    );
    assert.deepEqual(await visitorCounts(sql, p.id, stranger.visitorId, sessions.stranger), strangerBefore);
  });
});

describe(`visitor erasure against batches still in the inbox (${mode}, workers run by the test)`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => api?.close());

  /** What a worker does: the sweeper re-enqueues old unprocessed batches, then an ingest job processes them. */
  async function sweepAndProcess(): Promise<void> {
    const sql = api.runtime.deps.db.sql;
    await sql.query(`UPDATE inbox_batches SET received_at = now() - interval '5 minutes' WHERE processed_at IS NULL`);
    const queue = api.runtime.deps.queue;
    assert.ok((await sweepInbox(sql, queue, { sweepAfterMs: 60_000, retentionMs: 86_400_000, maxBacklog: 1e9 })) >= 0);
    await runIngestJob(sql, api.runtime.deps.projects, { ids: [], kind: 'wake' }, api.runtime.deps.logger, { claimMax: 500 });
  }

  it('pending batches are deleted by the erasure; a batch arriving after it is dropped by the worker; a crash midway re-runs to completion', async () => {
    const sql = api.runtime.deps.db.sql;
    const p = await makeProject(api);
    const visitorId = newClientId();
    const keptVisitor = newClientId();
    const sessionId = newClientId();
    const pv = newClientId();
    // processed history for both visitors
    for (const [vid, sid] of [[visitorId, sessionId], [keptVisitor, newClientId()]] as const) {
      for (let seq = 0; seq < 3; seq++) {
        const b = makeBatch({ projectKey: p.ingestKey, visitorId: vid, sessionId: sid, pageViewId: pv, seq, events: makeMixedEvents(20, Date.now(), pv, seq) });
        assert.equal((await postBatch(api, b)).status, 200);
      }
    }
    await sweepAndProcess();
    // more of the erased visitor still waiting in the inbox when the erasure runs
    for (let seq = 3; seq < 6; seq++) {
      assert.equal((await postBatch(api, makeBatch({ projectKey: p.ingestKey, visitorId, sessionId, pageViewId: pv, seq }))).status, 200);
    }
    const sessions = await sessionIdsOf(sql, p.id, visitorId);
    const keptSessions = await sessionIdsOf(sql, p.id, keptVisitor);
    const keptBefore = await visitorCounts(sql, p.id, keptVisitor, keptSessions);
    assert.ok(((await visitorCounts(sql, p.id, visitorId, sessions)).clicks ?? 0) > 0);

    const job = (await createPrivacyJob(sql, { projectId: p.id, kind: 'erase_visitor', params: { visitorId } }))!;
    let steps = 0;
    const dying = privacyContext(api, { batchSize: 4, afterStep: async () => void (++steps === 2 && (() => { throw new Error('worker killed'); })()) });
    await assert.rejects(runPrivacyJob(dying, job.id, { attemptsMade: 0, maxAttempts: 5 }), /worker killed/);
    assert.notDeepEqual(await visitorCounts(sql, p.id, visitorId, sessions), {}, 'the crash left rows behind');

    // between the crash and the re-run, the sweeper and a worker run: nothing comes back
    const late = makeBatch({ projectKey: p.ingestKey, visitorId, sessionId, pageViewId: pv, seq: 9 });
    assert.equal((await postBatch(api, late)).status, 200);
    await sweepAndProcess();
    assert.equal(await runPrivacyJob(privacyContext(api, { batchSize: 4 }), job.id), true);
    assert.deepEqual(await visitorCounts(sql, p.id, visitorId, sessions), {});

    // a batch that arrives after the erasure finished: kept in the inbox until a worker drops it
    assert.equal((await postBatch(api, makeBatch({ projectKey: p.ingestKey, visitorId, sessionId, pageViewId: pv, seq: 10 }))).status, 200);
    assert.equal((await visitorCounts(sql, p.id, visitorId, sessions)).inbox_batches, 1);
    await sweepAndProcess();
    assert.deepEqual(await visitorCounts(sql, p.id, visitorId, sessions), {});
    assert.deepEqual(await visitorCounts(sql, p.id, keptVisitor, keptSessions), keptBefore);
    assert.equal(await runPrivacyJob(privacyContext(api), job.id), false, 'running it again is a no-op');
  });
});
