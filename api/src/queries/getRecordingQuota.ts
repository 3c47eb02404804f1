import type { PrismaClient } from '@loupe/prisma';

export interface RecordingQuota {
  /** Distinct sessions with at least one chunk since the start of today in the project's time zone. */
  sessionsToday: number;
  /** Whether this session already has chunks (a recorded session continues whatever the cap). */
  sessionRecorded: boolean;
}

/** Counts today's recorded sessions of a project (the daily cap) and whether `sessionId` is one of them. */
export async function getRecordingQuota(prisma: PrismaClient, projectId: string, sessionId: string, timeZone: string): Promise<RecordingQuota> {
  const [row] = await prisma.$queryRaw<{ sessions: number; mine: boolean }[]>`
    SELECT count(DISTINCT session_id)::int AS sessions, coalesce(bool_or(session_id = ${sessionId}), false) AS mine
      FROM recording_chunks
     WHERE project_id = ${projectId}
       AND ts >= (date_trunc('day', now() AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone})`;
  return { sessionsToday: row?.sessions ?? 0, sessionRecorded: row?.mine ?? false };
}
