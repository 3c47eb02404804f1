import { parseProjectSettings, projectSettingsSchema } from '@loupe/contract';
import type { PrismaClient } from '@loupe/prisma';
import { z } from 'zod';

export const projectView = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  domains: z.array(z.string()),
  ingestKey: z.string(),
  /** Set for the grace period after a key rotation: the old key still accepted until `previousIngestKeyExpiresAt`. */
  previousIngestKey: z.string().nullable(),
  previousIngestKeyExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  disabled: z.boolean(),
  settings: projectSettingsSchema,
});
export type ProjectView = z.infer<typeof projectView>;

/** One project with its settings (defaults filled), or null. */
export async function getProject(prisma: PrismaClient, projectId: string): Promise<ProjectView | null> {
  const p = await prisma.project.findUnique({ where: { id: projectId } });
  if (!p) return null;
  const graceOver = !p.previousIngestKeyExpiresAt || p.previousIngestKeyExpiresAt <= new Date();
  return {
    id: p.id,
    name: p.name,
    category: p.category,
    domains: p.domains,
    ingestKey: p.ingestKey,
    previousIngestKey: graceOver ? null : p.previousIngestKey,
    previousIngestKeyExpiresAt: graceOver ? null : p.previousIngestKeyExpiresAt!.toISOString(),
    createdAt: p.createdAt.toISOString(),
    disabled: p.disabledAt !== null,
    settings: parseProjectSettings(p.settings),
  };
}
