import type { Logger } from 'pino';
import { createBullmqQueue } from './bullmqQueue.ts';
import { createMemoryQueue } from './memoryQueue.ts';
import type { JobQueue, QueueOptions } from './types.ts';

export type * from './types.ts';
export { createBullmqQueue, type BullmqQueueOptions } from './bullmqQueue.ts';
export { createMemoryQueue, type MemoryQueueOptions } from './memoryQueue.ts';
export { deleteKeysWithPrefix } from './redisKeys.ts';

export interface CreateQueueOptions extends QueueOptions {
  name: string;
  /** Set: BullMQ on this Redis. Unset or empty: the in-process queue (the embedded default). */
  redisUrl?: string;
  /** Redis key prefix (BullMQ only; ignored by the in-process queue). */
  prefix: string;
  /** Failed jobs kept for inspection (default 1000). */
  maxFailedKept?: number;
  logger?: Logger;
}

/** Picks the queue implementation from the configuration: BullMQ when `redisUrl` is set, else in-process. */
export function createQueue<T>(opts: CreateQueueOptions): JobQueue<T> {
  const { redisUrl, prefix, ...common } = opts;
  return redisUrl ? createBullmqQueue<T>({ ...common, redisUrl, prefix }) : createMemoryQueue<T>(common);
}
