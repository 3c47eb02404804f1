import { parseProjectSettings, type ProjectSettings } from '@loupe/contract';
import type { PrismaClient } from '@loupe/prisma';

export interface TrackerProject {
  id: string;
  ingestKey: string;
  disabled: boolean;
  identifySalt: string;
  settings: ProjectSettings;
}

/**
 * What the tracker script of a project needs, by its public ingest key. A key rotated out within its grace period
 * still finds the project, and the script it gets carries the current key, so pages with the old snippet move over.
 * Projects being deleted have no script.
 */
export async function getTrackerProject(prisma: PrismaClient, ingestKey: string): Promise<TrackerProject | null> {
  const p = await prisma.project.findFirst({
    where: {
      deletedAt: null,
      OR: [{ ingestKey }, { previousIngestKey: ingestKey, previousIngestKeyExpiresAt: { gt: new Date() } }],
    },
    select: { id: true, ingestKey: true, disabledAt: true, identifySalt: true, settings: true },
  });
  if (!p) return null;
  return { id: p.id, ingestKey: p.ingestKey, disabled: p.disabledAt !== null, identifySalt: p.identifySalt, settings: parseProjectSettings(p.settings) };
}
