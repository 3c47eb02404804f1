import { z } from 'zod';
import type { PrismaClient } from '@loupe/prisma';

export const recordingChunkSchema = z.object({
  seq: z.number().int(),
  ts: z.string(),
  encoding: z.enum(['gzip', 'identity']),
  bytes: z.number().int(),
  /** The stored bytes, base64. Decompressed and concatenated in order they are the session's rrweb events as NDJSON. */
  data: z.string(),
});
export type RecordingChunkView = z.infer<typeof recordingChunkSchema>;

/**
 * A session's recording chunks in upload order. `sessionId` may be a server session id (`<tracker id>.N` after a
 * 30-minute split): chunks are stored under the tracker's id.
 */
export async function listRecordingChunks(prisma: PrismaClient, projectId: string, sessionId: string): Promise<RecordingChunkView[]> {
  const rows = await prisma.recordingChunk.findMany({
    where: { projectId, sessionId: sessionId.replace(/\.\d+$/, '') },
    orderBy: [{ seq: 'asc' }, { ts: 'asc' }],
    select: { seq: true, ts: true, encoding: true, bytes: true, payload: true },
  });
  return rows.map((r) => ({
    seq: r.seq,
    ts: r.ts.toISOString(),
    encoding: r.encoding === 'gzip' ? 'gzip' : 'identity',
    bytes: r.bytes,
    data: Buffer.from(r.payload).toString('base64'),
  }));
}
