import type { PrismaClient } from '@loupe/prisma';
import { z } from 'zod';
import { domainSchema, projectCategorySchema, projectNameSchema } from '../projects/projectFields.ts';

export const projectPatchSchema = z
  .object({
    name: projectNameSchema,
    category: projectCategorySchema,
    domains: z.array(domainSchema).max(50),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one of name, category, domains');

/** Renames a project or changes its category or domains. */
export async function updateProject(prisma: PrismaClient, projectId: string, patch: z.infer<typeof projectPatchSchema>): Promise<void> {
  await prisma.project.update({ where: { id: projectId }, data: patch });
}
