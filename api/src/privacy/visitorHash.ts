import { createHash } from 'node:crypto';

/**
 * What a tombstone keeps of an erased visitor id: its lowercase hex SHA-256. Enough to recognise the visitor's late
 * batches; the id itself is gone with the rest of the visitor's data.
 */
export const visitorHash = (visitorId: string): string => createHash('sha256').update(visitorId, 'utf8').digest('hex');
