import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { SqlRunner } from '@loupe/prisma/sql';
import { retentionJobId, scheduleRetention } from '../../src/privacy/privacyWorker.ts';
import { PRIVACY_QUEUE, type PrivacyQueueMessage } from '../../src/privacy/jobTypes.ts';
import { runPrivacyJob } from '../../src/privacy/runPrivacyJob.ts';
import { createPrivacyJob } from '../../src/queries/createPrivacyJob.ts';
import { createMemoryQueue } from '../../src/queue/memoryQueue.ts';
import { makeProject, mode, startTestApi, type TestApi } from '../helpers/testRuntime.ts';
import { privacyContext } from './seed.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** Rows by a label stored in an identifying column, so the test can say exactly which rows remain. */
async function seed(sql: SqlRunner, projectId: string, rows: { table: string; label: string; days: number }[]): Promise<void> {
  for (const { table, label, days } of rows) {
    const t = ago(days);
    switch (table) {
      case 'clicks':
        await sql.query(
          `INSERT INTO clicks (project_id, ts, batch_id, idx, session_id, page_view_id, url, x, y, page_x, page_y, selector, rel_x, rel_y, interactive, viewport_width)
           VALUES ($1, $2, 1, (random() * 1e9)::int, 's', 'pv', 'u', 0, 0, 0, 0, $3, 0, 0, true, 1000)`,
          [projectId, t, label],
        );
        break;
      case 'custom_events':
        await sql.query(
          `INSERT INTO custom_events (project_id, ts, batch_id, idx, session_id, page_view_id, name) VALUES ($1, $2, 1, (random() * 1e9)::int, 's', 'pv', $3)`,
          [projectId, t, label],
        );
        break;
      case 'page_views':
        await sql.query(
          `INSERT INTO page_views (project_id, started_at, id, session_id, visitor_id, url, navigation, batch_id, last_event_at)
           VALUES ($1, $2, $3, 's', 'v', 'u', 'load', 1, $2)`,
          [projectId, t, label],
        );
        break;
      case 'sessions':
        await sql.query(
          `INSERT INTO sessions (project_id, id, client_session_id, visitor_id, started_at, ended_at, device_class)
           VALUES ($1, $3, $3, 'v', $2::timestamptz - interval '10 minutes', $2, 'pc')`,
          [projectId, t, label],
        );
        break;
      case 'visitors':
        await sql.query(`INSERT INTO visitors (project_id, id, first_seen_at, last_seen_at) VALUES ($1, $3, $2::timestamptz - interval '1 day', $2)`, [
          projectId,
          t,
          label,
        ]);
        break;
      case 'recording_chunks':
        await sql.query(
          `INSERT INTO recording_chunks (project_id, session_id, visitor_id, page_view_id, seq, ts, encoding, bytes, payload)
           VALUES ($1, $3, 'v', 'pv', 0, $2, 'identity', 1, '\\x00')`,
          [projectId, t, label],
        );
        break;
      case 'privacy_exports':
        // `days` negative: expires in the future
        await sql.query(`INSERT INTO privacy_exports (job_id, project_id, document, expires_at) VALUES ($3, $1, '{}', $2)`, [projectId, t, label]);
        break;
      case 'privacy_jobs':
        await sql.query(`INSERT INTO privacy_jobs (id, project_id, kind, status, finished_at) VALUES ($3, $1, 'export_visitor', 'done', $2)`, [
          projectId,
          t,
          label,
        ]);
        break;
      default:
        throw new Error(table);
    }
  }
}

const LABEL: Record<string, string> = {
  clicks: 'selector',
  custom_events: 'name',
  page_views: 'id',
  sessions: 'id',
  visitors: 'id',
  recording_chunks: 'session_id',
  privacy_exports: 'job_id',
  privacy_jobs: 'id',
};

async function remaining(sql: SqlRunner, projectId: string): Promise<string[]> {
  const out: string[] = [];
  for (const [table, col] of Object.entries(LABEL)) {
    const rows = await sql.query<{ l: string }>(`SELECT ${col} AS l FROM ${table} WHERE project_id = $1`, [projectId]);
    out.push(...rows.map((r) => `${table}:${r.l}`));
  }
  return out.sort();
}

describe(`retention (${mode})`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, { workers: false });
  });
  after(async () => {
    await api?.close();
  });

  it('deletes exactly what is expired, per project settings; a crash midway and a second run change nothing more', async () => {
    const sql = api.runtime.deps.db.sql;
    const short = await makeProject(api, { retention: { eventsDays: 30, recordingsDays: 10 } });
    const dflt = await makeProject(api);
    // label: `<expected outcome>-<age>`
    await seed(sql, short.id, [
      { table: 'clicks', label: 'gone-31d', days: 31 },
      { table: 'clicks', label: 'kept-29d', days: 29 },
      { table: 'custom_events', label: 'gone-31d', days: 31 },
      { table: 'custom_events', label: 'kept-1d', days: 1 },
      { table: 'page_views', label: 'gone-31d', days: 31 },
      { table: 'page_views', label: 'kept-29d', days: 29 },
      // sessions and visitors outlive both periods (here 30 days): recordings may be kept longer than events
      { table: 'sessions', label: 'gone-31d', days: 31 },
      { table: 'sessions', label: 'kept-29d', days: 29 },
      { table: 'visitors', label: 'gone-31d', days: 31 },
      { table: 'visitors', label: 'kept-29d', days: 29 },
      { table: 'recording_chunks', label: 'gone-11d', days: 11 },
      { table: 'recording_chunks', label: 'kept-9d', days: 9 },
      { table: 'privacy_exports', label: `gone-expired-${randomBytes(3).toString('hex')}`, days: 0.01 },
      { table: 'privacy_exports', label: `kept-unexpired-${randomBytes(3).toString('hex')}`, days: -1 },
      { table: 'privacy_jobs', label: `gone-91d-${randomBytes(3).toString('hex')}`, days: 91 },
      { table: 'privacy_jobs', label: `kept-89d-${randomBytes(3).toString('hex')}`, days: 89 },
    ]);
    // defaults: events 395 days, recordings 30 days
    await seed(sql, dflt.id, [
      { table: 'clicks', label: 'gone-396d', days: 396 },
      { table: 'clicks', label: 'kept-394d', days: 394 },
      { table: 'sessions', label: 'kept-394d', days: 394 },
      { table: 'recording_chunks', label: 'gone-31d', days: 31 },
      { table: 'recording_chunks', label: 'kept-29d', days: 29 },
    ]);
    const expected = {
      short: (await remaining(sql, short.id)).filter((l) => l.includes(':kept-')),
      dflt: (await remaining(sql, dflt.id)).filter((l) => l.includes(':kept-')),
    };

    const job = (await createPrivacyJob(sql, { id: `retention-test-${randomBytes(4).toString('hex')}`, projectId: null, kind: 'retention', params: {} }))!;
    let steps = 0;
    const dying = privacyContext(api, { batchSize: 1, afterStep: async () => { if (++steps === 3) throw new Error('worker killed'); } });
    await assert.rejects(runPrivacyJob(dying, job.id, { attemptsMade: 0, maxAttempts: 5 }), /worker killed/);
    assert.equal(await runPrivacyJob(privacyContext(api), job.id), true);
    assert.deepEqual(await remaining(sql, short.id), expected.short);
    assert.deepEqual(await remaining(sql, dflt.id), expected.dflt);

    const again = (await createPrivacyJob(sql, { id: `retention-test-${randomBytes(4).toString('hex')}`, projectId: null, kind: 'retention', params: {} }))!;
    assert.equal(await runPrivacyJob(privacyContext(api), again.id), true);
    assert.deepEqual(await remaining(sql, short.id), expected.short);
    assert.deepEqual(await remaining(sql, dflt.id), expected.dflt);
    await sql.query('DELETE FROM privacy_jobs WHERE id = ANY($1::text[])', [[job.id, again.id]]);
  });

  it('is scheduled once per hour however many workers tick', async () => {
    const sql = api.runtime.deps.db.sql;
    const queue = createMemoryQueue<PrivacyQueueMessage>({ name: PRIVACY_QUEUE });
    // an hour no other runtime schedules
    const hour = new Date(Date.UTC(2099, 0, 1, 5, 30));
    try {
      assert.equal(retentionJobId(hour), 'retention-2099-01-01T05');
      assert.equal(await scheduleRetention(sql, queue, hour), 'retention-2099-01-01T05');
      assert.equal(await scheduleRetention(sql, queue, new Date(hour.getTime() + 20 * 60_000)), null);
      assert.equal((await queue.counts()).waiting, 1);
    } finally {
      await queue.close();
      await sql.query(`DELETE FROM privacy_jobs WHERE id = 'retention-2099-01-01T05'`);
    }
  });
});
