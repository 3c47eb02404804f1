import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../../src/queue/redisKeys.ts';

const redisUrl = process.env.REDIS_URL;

describe('deleteKeysWithPrefix', function () {
  before(function () {
    if (!redisUrl) {
      console.log('    (skipped: REDIS_URL is not set)');
      this.skip();
    }
  });

  it('deletes only keys under the prefix, in batches, treating glob characters literally', async () => {
    const base = `${process.env.LOUPE_TEST_REDIS_PREFIX ?? 'loupe-test'}-${randomBytes(6).toString('hex')}`;
    const prefix = `${base}-[x]*`;
    const sibling = `${base}-x-sibling`; // would match if `[x]*` were read as a glob
    const redis = new Redis(redisUrl!);
    try {
      const pipe = redis.pipeline();
      for (let i = 0; i < 1200; i++) pipe.set(`${prefix}:${i}`, '1');
      pipe.set(sibling, '1');
      await pipe.exec();
      assert.equal(await deleteKeysWithPrefix(redisUrl!, prefix), 1200);
      assert.equal(await redis.exists(`${prefix}:0`, `${prefix}:1199`), 0);
      assert.equal(await redis.exists(sibling), 1);
    } finally {
      await redis.del(sibling);
      redis.disconnect();
    }
  });

  it('refuses an empty prefix', async () => {
    await assert.rejects(deleteKeysWithPrefix(redisUrl!, ''), /empty prefix/);
  });
});
