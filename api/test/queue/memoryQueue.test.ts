import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryQueue } from '../../src/queue/memoryQueue.ts';
import { type Payload, queueContract } from './contract.ts';

describe('memory queue', () => {
  queueContract(() => (name, opts) => createMemoryQueue<Payload>({ name, ...opts }));

  it('drops jobs still waiting or delayed at close (the sweeper re-derives them)', async () => {
    const q = createMemoryQueue<Payload>({ name: 'drop', backoffMs: 10 });
    const ran: number[] = [];
    q.consume(async (job) => {
      ran.push(job.data.n);
      await sleep(100);
    }, { concurrency: 1 });
    await q.addBulk([1, 2, 3].map((n) => ({ name: 'j', data: { n } })));
    await q.add('j', { n: 4 }, { delayMs: 10_000 });
    await q.close();
    assert.deepEqual(ran, [1]);
    assert.deepEqual(await q.counts(), { waiting: 0, active: 0, delayed: 0, failed: 0 });
    await q.drained(10);
  });

  it('keeps a bounded number of failed jobs, oldest dropped first', async () => {
    const q = createMemoryQueue<Payload>({ name: 'bounded', attempts: 1, maxFailedKept: 3 });
    q.consume(async () => {
      throw new Error('always');
    }, { concurrency: 2 });
    await q.addBulk([1, 2, 3, 4, 5].map((n) => ({ name: 'j', data: { n }, opts: { jobId: `f${n}` } })));
    await q.drained(1000);
    assert.equal((await q.counts()).failed, 3);
    await q.close();
  });

  it('rejects queue names that BullMQ would reject', () => {
    assert.throws(() => createMemoryQueue<Payload>({ name: 'a:b' }), /invalid queue name/);
    assert.throws(() => createMemoryQueue<Payload>({ name: '' }), /invalid queue name/);
  });
});
