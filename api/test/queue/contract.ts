import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job, JobQueue } from '../../src/queue/types.ts';

export interface Payload {
  n: number;
}

/** Builds a fresh queue; every call gets a new name so tests never see each other's jobs. */
export type QueueFactory = (name: string, opts: { attempts?: number; backoffMs?: number }) => JobQueue<Payload>;

/** Polls until `check` holds; fails the test with `what` otherwise. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Timers and sockets currently alive in this process, by kind (mocha's own test timer is constant within a test). */
export function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

function leaked(before: Map<string, number>): string[] {
  const now = handleCounts();
  return [...now].filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => `${kind}+${n - (before.get(kind) ?? 0)}`);
}

/**
 * The behaviour both implementations must share. Call inside a `describe`; `factory()` is only called from tests,
 * so a `before` hook of the caller may still skip the whole suite.
 */
export function queueContract(factory: () => QueueFactory): void {
  let open: JobQueue<Payload>[] = [];
  const make = (opts: { attempts?: number; backoffMs?: number } = {}): JobQueue<Payload> => {
    const q = factory()(`t${randomBytes(5).toString('hex')}`, { backoffMs: 10, ...opts });
    open.push(q);
    return q;
  };

  afterEach(async () => {
    await Promise.all(open.map((q) => q.close()));
    open = [];
  });

  it('delivers every added and bulk-added job exactly once', async () => {
    const q = make();
    const seen: string[] = [];
    q.consume(async (job) => void seen.push(`${job.name}:${job.data.n}`), { concurrency: 2 });
    await q.add('single', { n: 1 });
    await q.add('single', { n: 2 });
    await q.addBulk([3, 4, 5, 6].map((n) => ({ name: 'bulk', data: { n } })));
    await q.drained(5000);
    assert.deepEqual(seen.sort(), ['bulk:3', 'bulk:4', 'bulk:5', 'bulk:6', 'single:1', 'single:2']);
    assert.deepEqual(await q.counts(), { waiting: 0, active: 0, delayed: 0, failed: 0 });
  });

  it('delivers in FIFO order at concurrency 1', async () => {
    const q = make();
    await q.addBulk([1, 2, 3].map((n) => ({ name: 'j', data: { n } })));
    await q.add('j', { n: 4 });
    await q.add('j', { n: 5 });
    const order: number[] = [];
    q.consume(async (job) => void order.push(job.data.n), { concurrency: 1 });
    await q.drained(5000);
    assert.deepEqual(order, [1, 2, 3, 4, 5]);
  });

  it('deduplicates by jobId while waiting or active, and accepts the id again once done', async () => {
    const q = make();
    const runs: Job<Payload>[] = [];
    await q.add('a', { n: 1 }, { jobId: 'same' });
    await q.add('a', { n: 2 }, { jobId: 'same' });
    // Ids BullMQ itself would reject (integer-like, with ':') must work and reach the handler unchanged.
    await q.addBulk([
      { name: 'a', data: { n: 3 }, opts: { jobId: 'same' } },
      { name: 'b', data: { n: 4 }, opts: { jobId: '42' } },
      { name: 'c', data: { n: 5 }, opts: { jobId: 'shop:7%3A' } },
    ]);
    assert.equal((await q.counts()).waiting, 3);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    q.consume(async (job) => {
      runs.push(job);
      if (job.data.n === 1) await gate;
    }, { concurrency: 3 });
    await waitFor('the first job to be active', () => runs.some((j) => j.data.n === 1));
    await q.add('a', { n: 6 }, { jobId: 'same' }); // active: no-op
    release();
    await q.drained(5000);
    assert.deepEqual(runs.map((j) => [j.id, j.data.n]).sort(), [['42', 4], ['same', 1], ['shop:7%3A', 5]]);
    await q.add('a', { n: 7 }, { jobId: 'same' });
    await q.drained(5000);
    assert.equal(runs.length, 4);
    assert.deepEqual([runs[3]?.id, runs[3]?.data.n], ['same', 7]);
  });

  it('reaches the consumer concurrency and never exceeds it', async () => {
    const q = make();
    let running = 0;
    let peak = 0;
    q.consume(async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(80);
      running -= 1;
    }, { concurrency: 3 });
    await q.addBulk(Array.from({ length: 12 }, (_, n) => ({ name: 'work', data: { n } })));
    await q.drained(10_000);
    assert.equal(peak, 3);
    assert.equal(running, 0);
  });

  it('retries a job that threw, with attemptsMade counting the failures', async () => {
    const q = make({ attempts: 3, backoffMs: 20 });
    const attempts: number[] = [];
    const at: number[] = [];
    q.consume(async (job) => {
      attempts.push(job.attemptsMade);
      at.push(Date.now());
      if (job.attemptsMade < 2) throw new Error('transient');
    }, { concurrency: 1 });
    await q.add('flaky', { n: 1 }, { jobId: 'flaky' });
    await q.drained(5000);
    assert.deepEqual(attempts, [0, 1, 2]);
    // Exponential backoff: 20 ms then 40 ms (small slack for timer granularity).
    assert.ok(at[1]! - at[0]! >= 15, `first retry after ${at[1]! - at[0]!} ms`);
    assert.ok(at[2]! - at[1]! >= 35, `second retry after ${at[2]! - at[1]!} ms`);
    assert.deepEqual(await q.counts(), { waiting: 0, active: 0, delayed: 0, failed: 0 });
  });

  it('keeps a job as failed after its last attempt; adding its id again starts it afresh', async () => {
    const q = make({ attempts: 2 });
    const seen: Array<[number, number]> = [];
    q.consume(async (job) => {
      seen.push([job.data.n, job.attemptsMade]);
      if (job.data.n === 1) throw new Error('permanent');
    }, { concurrency: 1 });
    await q.add('poison', { n: 1 }, { jobId: 'poison' });
    await q.drained(5000);
    assert.deepEqual(seen, [[1, 0], [1, 1]]);
    assert.deepEqual(await q.counts(), { waiting: 0, active: 0, delayed: 0, failed: 1 });
    await q.add('poison', { n: 2 }, { jobId: 'poison' });
    await q.drained(5000);
    assert.deepEqual(seen, [[1, 0], [1, 1], [2, 0]]);
    assert.equal((await q.counts()).failed, 0);
  });

  it('consumer.close() waits for the job in flight and then takes no more jobs', async () => {
    const q = make();
    let started = false;
    let finished = false;
    let laterRan = false;
    const consumer = q.consume(async (job) => {
      if (job.data.n === 2) laterRan = true;
      started = true;
      await sleep(300);
      finished = true;
    }, { concurrency: 1 });
    await q.add('slow', { n: 1 });
    await waitFor('the job to start', () => started);
    const t0 = Date.now();
    await consumer.close();
    assert.equal(finished, true, 'close() resolved before the in-flight job finished');
    assert.ok(Date.now() - t0 >= 100);
    await q.add('later', { n: 2 });
    await sleep(150);
    assert.equal(laterRan, false);
    assert.equal((await q.counts()).waiting, 1);
  });

  it('queue.close() also waits for in-flight jobs', async () => {
    const q = make();
    let started = false;
    let finished = false;
    q.consume(async () => {
      started = true;
      await sleep(250);
      finished = true;
    }, { concurrency: 2 });
    await q.add('slow', { n: 1 });
    await waitFor('the job to start', () => started);
    await q.close();
    assert.equal(finished, true);
    await assert.rejects(q.add('late', { n: 2 }), /closed/);
  });

  it('drained() waits for delayed jobs and rejects on timeout', async () => {
    const q = make();
    await q.add('stuck', { n: 0 });
    await assert.rejects(q.drained(100), /not drained after 100 ms/);
    const ranAt: number[] = [];
    const t0 = Date.now();
    await q.add('later', { n: 1 }, { delayMs: 200 });
    assert.equal((await q.counts()).delayed, 1);
    q.consume(async (job) => void (job.data.n === 1 && ranAt.push(Date.now())), { concurrency: 1 });
    await q.drained(5000);
    assert.equal(ranAt.length, 1);
    assert.ok(ranAt[0]! - t0 >= 190, `delayed job ran after ${ranAt[0]! - t0} ms`);
    assert.deepEqual(await q.counts(), { waiting: 0, active: 0, delayed: 0, failed: 0 });
  });

  it('rejects a concurrency below 1', () => {
    const q = make();
    assert.throws(() => q.consume(async () => {}, { concurrency: 0 }), RangeError);
  });

  it('close() leaves no timers or sockets behind', async () => {
    // Mocha arms its own timeout timer only once the test function has returned its promise.
    await new Promise((resolve) => setImmediate(resolve));
    const before = handleCounts();
    const q = make({ attempts: 3, backoffMs: 5000 });
    q.consume(async (job) => {
      if (job.data.n === 1) throw new Error('retry me later');
    }, { concurrency: 2 });
    await q.add('fails', { n: 1 });
    await q.add('ok', { n: 2 });
    await q.add('far', { n: 3 }, { delayMs: 60_000 });
    await waitFor('the retry to be scheduled', async () => (await q.counts()).delayed === 2);
    await q.close();
    // Sockets finish closing on the next turns of the event loop.
    await waitFor(`handles to be released (${leaked(before).join(', ')})`, () => leaked(before).length === 0, 2000);
  });
}
