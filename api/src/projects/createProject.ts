import { parseProjectSettings, type ProjectSettings, type ProjectSettingsInput } from '@loupe/contract';
import type { PrismaClient } from '@loupe/prisma';
import { newId } from '../auth/apiTokens.ts';
import { projectFieldsSchema } from './projectFields.ts';

export interface CreatedProject {
  id: string;
  name: string;
  ingestKey: string;
  settings: ProjectSettings;
}

export interface CreateProjectInput {
  name: string;
  category?: string;
  domains?: string[];
  settings?: ProjectSettingsInput;
  /** The user creating it becomes its first admin; omitted for operator (CLI) projects. */
  adminUserId?: string;
}

/** Creates a project with a fresh public ingest key; fields and settings are validated with defaults filled. */
export async function createProject(prisma: PrismaClient, input: CreateProjectInput): Promise<CreatedProject> {
  const fields = projectFieldsSchema.parse({ name: input.name, category: input.category, domains: input.domains });
  const settings = parseProjectSettings(input.settings ?? {});
  const project = await prisma.project.create({
    data: {
      id: newId('prj_'),
      ...fields,
      ingestKey: newId('pk_', 18),
      settings,
      ...(input.adminUserId ? { memberships: { create: { userId: input.adminUserId, role: 'admin' } } } : {}),
    },
  });
  return { id: project.id, name: project.name, ingestKey: project.ingestKey, settings };
}
