import type { PrismaClient } from '@loupe/prisma';

export interface RecordingChunkInput {
  projectId: string;
  sessionId: string;
  visitorId: string;
  pageViewId: string;
  seq: number;
  ts: Date;
  encoding: 'gzip' | 'identity';
  payload: Uint8Array;
}

/** Stores one chunk; a resend (same project, ts, session, seq) is a no-op. Answers whether a row was written. */
export async function insertRecordingChunk(prisma: PrismaClient, c: RecordingChunkInput): Promise<boolean> {
  const { count } = await prisma.recordingChunk.createMany({
    data: [{ ...c, payload: new Uint8Array(c.payload), bytes: c.payload.length }],
    skipDuplicates: true,
  });
  return count > 0;
}
