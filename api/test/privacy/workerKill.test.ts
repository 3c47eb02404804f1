/**
 * A worker process killed (SIGKILL) in the middle of a project deletion: BullMQ hands the job to another worker
 * once its lock expires, and the job resumes from the table's state to zero rows.
 */
import assert from 'node:assert/strict';
import { runPrivacyJob } from '../../src/privacy/runPrivacyJob.ts';
import { requestProjectDeletion } from '../../src/privacy/requestJobs.ts';
import { spawnEntry, type Child } from '../helpers/child.ts';
import { eventually, makeProject, startTestApi, type TestApi } from '../helpers/testRuntime.ts';
import { privacyContext, projectCounts, waitJob } from './seed.ts';

const redisMode = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

describe('privacy job survives a killed worker process (PostgreSQL + Redis)', function () {
  this.timeout(180_000);
  let api: TestApi;
  const children: Child[] = [];
  before(async function () {
    if (!redisMode) this.skip();
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
    LOG_LEVEL: 'info',
  });

  it('kill -9 mid-deletion, another worker completes it', async () => {
    const sql = api.runtime.deps.db.sql;
    const p = await makeProject(api);
    // enough rows that the deletion takes many statements
    await sql.query(
      `INSERT INTO clicks (project_id, ts, batch_id, idx, session_id, page_view_id, url, x, y, page_x, page_y, selector, rel_x, rel_y, interactive, viewport_width)
       SELECT $1, now() - g * interval '1 second', g, 0, 's' || (g % 100), 'pv', 'u', 0, 0, 0, 0, 'button', 0, 0, true, 1000
         FROM generate_series(1, 400000) g`,
      [p.id],
    );
    const deps = { sql, privacyQueue: api.runtime.deps.privacyQueue, logger: api.runtime.deps.logger, invalidateProjects: () => undefined };
    const job = await requestProjectDeletion(deps, p.id, p.name, null);

    const first = spawnEntry('src/worker.ts', workerEnv());
    children.push(first);
    const progress = async () =>
      (await sql.query<{ progress_done: number; progress_total: number }>('SELECT progress_done, progress_total FROM privacy_jobs WHERE id = $1', [job.id]))[0];
    await eventually(async () => ((await progress())?.progress_done ?? 0) >= 10_000, 60_000, 'the first worker to make progress');
    await first.kill('SIGKILL');
    const mid = await progress();
    assert.ok(mid && mid.progress_done < mid.progress_total, `killed mid-job: ${JSON.stringify(mid)}`);
    assert.ok(((await projectCounts(sql, p.id)).clicks ?? 0) > 0);

    const second = spawnEntry('src/worker.ts', workerEnv());
    children.push(second);
    await waitJob(sql, job.id, 'gone', 150_000);
    assert.deepEqual(await projectCounts(sql, p.id), {});
    assert.equal(await runPrivacyJob(privacyContext(api), job.id), false);
  });
});
