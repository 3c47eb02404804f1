import { randomBytes } from 'node:crypto';
import { parseProjectSettings, type ProjectSettings, type ProjectSettingsInput } from '@loupe/contract';
import type { PrismaClient } from '@loupe/prisma';

export interface CreatedProject {
  id: string;
  name: string;
  ingestKey: string;
  settings: ProjectSettings;
}

const newId = (prefix: string, bytes: number): string => prefix + randomBytes(bytes).toString('base64url');

/** Creates a project with a fresh public ingest key; settings are validated with defaults filled. */
export async function createProject(
  prisma: PrismaClient,
  input: { name: string; settings?: ProjectSettingsInput },
): Promise<CreatedProject> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new Error('a project name of 1 to 200 characters is required');
  const settings = parseProjectSettings(input.settings ?? {});
  const project = await prisma.project.create({
    data: { id: newId('prj_', 12), name, ingestKey: newId('pk_', 18), settings },
  });
  return { id: project.id, name: project.name, ingestKey: project.ingestKey, settings };
}
