import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createQueue, deleteKeysWithPrefix } from '../../src/queue/index.ts';

describe('createQueue', () => {
  it('uses the in-process queue when no Redis URL is configured', async () => {
    // An unreachable prefix/Redis would make a BullMQ queue hang or fail here; the memory queue needs neither.
    const q = createQueue<number>({ name: 'pick', prefix: 'unused', redisUrl: '' });
    await q.add('j', 1);
    assert.deepEqual(await q.counts(), { waiting: 1, active: 0, delayed: 0, failed: 0 });
    await q.close();
  });

  it('uses BullMQ when a Redis URL is configured', async function () {
    const redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      console.log('    (skipped: REDIS_URL is not set)');
      this.skip();
    }
    const prefix = `${process.env.LOUPE_TEST_REDIS_PREFIX ?? 'loupe-test'}-${randomBytes(6).toString('hex')}`;
    const q = createQueue<number>({ name: 'pick', prefix, redisUrl });
    const redis = new Redis(redisUrl);
    try {
      await q.add('j', 1, { jobId: 'one' });
      assert.equal(await redis.llen(`${prefix}:pick:wait`), 1);
    } finally {
      await q.close();
      redis.disconnect();
      await deleteKeysWithPrefix(redisUrl, prefix);
    }
  });
});
