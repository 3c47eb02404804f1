/**
 * Inbox partitions: bulk claims split by session, so that concurrent worker transactions never write the same
 * session. Without them, two bulk transactions claiming the oldest rows shared most sessions (a session's batches
 * arrive spread over time), and the second one waited on the first's session row locks until it committed — two
 * workers ran little faster than one (bench:ingest, docs/ingest.md).
 *
 * Partition k of n holds the rows whose session id hashes to k. A worker transaction takes partition k's advisory
 * lock before claiming from it, so one transaction per partition runs at a time, across every worker process that
 * shares the database. The lock is transaction-scoped: released at commit or rollback, never leaked by a dying worker.
 */
import type { SqlRunner } from '@loupe/prisma/sql';

/** Advisory-lock keys base + 0 … base + MAX_PARTITIONS − 1; distinct from the migrator's (72707369) and privacy's (72707370). */
const PARTITION_LOCK_BASE = 72707400;
export const MAX_PARTITIONS = 64;

/** The advisory-lock key of partition `index`. */
export const partitionLockKey = (index: number): number => PARTITION_LOCK_BASE + index;

/** SQL: the partition of an `inbox_batches` row, the partition count being the parameter `count` (e.g. `$2`). */
export const partitionOfRow = (count: string): string => `(hashtext(session_id) & 2147483647) % ${count}::int`;

/**
 * Inside a worker transaction, before claiming from partition `index`: takes its lock, waiting for the holder when
 * `wait`, otherwise giving up at once. Returns whether the lock is held.
 */
export async function lockPartition(tx: SqlRunner, index: number, wait: boolean): Promise<boolean> {
  const key = partitionLockKey(index);
  if (wait) {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [key]);
    return true;
  }
  const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [key]);
  return row?.locked === true;
}
