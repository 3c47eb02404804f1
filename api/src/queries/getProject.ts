import { parseProjectSettings, type ProjectSettings } from '@loupe/contract';
import type { PrismaClient } from '@loupe/prisma';

export interface ProjectView {
  id: string;
  name: string;
  ingestKey: string;
  createdAt: string;
  disabled: boolean;
  settings: ProjectSettings;
}

/** One project with its settings (defaults filled), or null. */
export async function getProject(prisma: PrismaClient, projectId: string): Promise<ProjectView | null> {
  const p = await prisma.project.findUnique({ where: { id: projectId } });
  if (!p) return null;
  return {
    id: p.id,
    name: p.name,
    ingestKey: p.ingestKey,
    createdAt: p.createdAt.toISOString(),
    disabled: p.disabledAt !== null,
    settings: parseProjectSettings(p.settings),
  };
}
