import { Redis } from 'ioredis';

/** Keys fetched per SCAN call and removed per UNLINK call. */
const BATCH = 500;

/**
 * Deletes every key whose name starts with `prefix`, in batches (SCAN + UNLINK, so Redis is never blocked and
 * memory is freed in the background). Used by tests and CI to remove their own queues from a Redis that other
 * runs share; it never FLUSHes. Returns the number of keys removed.
 */
export async function deleteKeysWithPrefix(redisUrl: string, prefix: string): Promise<number> {
  // An empty prefix would match the whole database, which is exactly what this helper must never do.
  if (prefix.length === 0) throw new Error('deleteKeysWithPrefix: refusing an empty prefix');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const pattern = `${escapeGlob(prefix)}*`;
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', BATCH);
      cursor = next;
      for (let i = 0; i < keys.length; i += BATCH) removed += await redis.unlink(...keys.slice(i, i + BATCH));
    } while (cursor !== '0');
    return removed;
  } finally {
    redis.disconnect();
  }
}

/** SCAN MATCH is a glob: a prefix containing `*`, `?`, `[`, `]` or `\` must match itself, not a pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
