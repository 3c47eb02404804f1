import type { MaskingMode } from '@loupe/contract';
import type { PrismaClient } from '@loupe/prisma';
import { getRecordingQuota } from '../queries/getRecordingQuota.ts';
import type { ProjectInfo } from '../ingest/projectCache.ts';
import { recordingOn } from './recordingAccess.ts';

export interface RecordingDecision {
  record: boolean;
  masking: MaskingMode;
  reason?: 'off' | 'daily_cap';
}

/**
 * Whether a session may be recorded now: the project records, and the session is already recorded or today's
 * count of recorded sessions is under the daily cap. (Sampling is decided in the browser, per session id, from
 * the inlined sample rate; this answer adds what only the server knows.) Two sessions starting at the same
 * moment can both pass at the cap's edge: the cap is a cost bound, not an exact quota.
 */
export async function startRecording(prisma: PrismaClient, project: ProjectInfo, sessionId: string): Promise<RecordingDecision> {
  const masking = project.settings.masking;
  if (!recordingOn(project)) return { record: false, masking, reason: 'off' };
  const quota = await getRecordingQuota(prisma, project.id, sessionId, project.settings.timeZone);
  if (!quota.sessionRecorded && quota.sessionsToday >= project.settings.recording.dailyCap) {
    return { record: false, masking, reason: 'daily_cap' };
  }
  return { record: true, masking };
}
