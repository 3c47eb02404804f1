import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createBullmqQueue, decodeJobId, encodeJobId } from '../../src/queue/bullmqQueue.ts';
import { deleteKeysWithPrefix } from '../../src/queue/redisKeys.ts';
import { type Payload, queueContract } from './contract.ts';

const redisUrl = process.env.REDIS_URL;
const prefix = `${process.env.LOUPE_TEST_REDIS_PREFIX ?? 'loupe-test'}-${randomBytes(6).toString('hex')}`;

describe('BullMQ queue (Redis)', function () {
  before(function () {
    if (!redisUrl) {
      console.log('    (skipped: REDIS_URL is not set; the BullMQ suite needs a real Redis)');
      this.skip();
    }
  });

  after(async () => {
    if (!redisUrl) return;
    await deleteKeysWithPrefix(redisUrl, prefix);
    const redis = new Redis(redisUrl);
    try {
      const [, left] = await redis.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000);
      assert.deepEqual(left, [], 'test keys left in Redis');
    } finally {
      redis.disconnect();
    }
  });

  queueContract(() => (name, opts) => createBullmqQueue<Payload>({ name, redisUrl: redisUrl!, prefix, ...opts }));

  it('keeps its keys under the given prefix and bounds the failed set', async () => {
    const q = createBullmqQueue<Payload>({ name: 'bounded', redisUrl: redisUrl!, prefix, attempts: 1, maxFailedKept: 3 });
    q.consume(async () => {
      throw new Error('always');
    }, { concurrency: 2 });
    await q.addBulk([1, 2, 3, 4, 5].map((n) => ({ name: 'j', data: { n }, opts: { jobId: `f${n}` } })));
    await q.drained(5000);
    assert.equal((await q.counts()).failed, 3);
    await q.close();
    const redis = new Redis(redisUrl!);
    try {
      assert.equal(await redis.zcard(`${prefix}:bounded:failed`), 3);
    } finally {
      redis.disconnect();
    }
  });
});

describe('BullMQ job id encoding', () => {
  it('round-trips any id and never yields one BullMQ rejects', () => {
    for (const id of ['42', 'a:b', '%3A', '%253A', ':%', 'plain', '']) {
      const stored = encodeJobId(id);
      assert.equal(decodeJobId(stored), id);
      assert.ok(!stored.includes(':'));
      assert.notEqual(`${parseInt(stored, 10)}`, stored);
    }
  });
});
