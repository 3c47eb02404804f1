import { parseProjectSettings, projectSettingsSchema, type ProjectSettings } from '@loupe/contract';
import type { PrismaClient } from '@loupe/prisma';

/** A rollup rebuild reads every judged session: ~2.5 min for a million on two cores (Prisma's default is 5 s). */
const REBUILD_TIMEOUT_MS = 15 * 60_000;

/** A partial settings change: top-level keys replace, nested objects merge one level deep. */
export const settingsPatchSchema = projectSettingsSchema.partial();

/**
 * Merges `patch` into the stored settings, validates the result and stores it; returns the new settings. A time-zone
 * change rebuilds the project's rollups.
 */
export async function updateProjectSettings(
  prisma: PrismaClient,
  projectId: string,
  patch: Record<string, unknown>,
): Promise<ProjectSettings> {
  return prisma.$transaction(async (tx) => {
    const project = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { settings: true } });
    const current = parseProjectSettings(project.settings) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(patch)) {
      const old = current[key];
      merged[key] =
        value && typeof value === 'object' && !Array.isArray(value) && old && typeof old === 'object' && !Array.isArray(old)
          ? { ...old, ...value }
          : value;
    }
    const settings = parseProjectSettings(merged);
    await tx.project.update({ where: { id: projectId }, data: { settings } });
    // The rollups' days are local days of the project's time zone: a new zone re-buckets them (in this transaction,
    // so no reader sees days of two zones mixed).
    if (settings.timeZone !== current.timeZone) await tx.$executeRaw`SELECT loupe_rebuild_rollups(${projectId})`;
    return settings;
  }, { timeout: REBUILD_TIMEOUT_MS });
}
