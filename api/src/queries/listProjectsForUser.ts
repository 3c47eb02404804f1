import type { PrismaClient } from '@loupe/prisma';
import { z } from 'zod';

export const projectListItem = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  domains: z.array(z.string()),
  role: z.enum(['admin', 'member']),
  createdAt: z.string(),
});

/** The projects a user belongs to, with their role, oldest first. */
export async function listProjectsForUser(prisma: PrismaClient, userId: string): Promise<z.infer<typeof projectListItem>[]> {
  const rows = await prisma.membership.findMany({
    where: { userId },
    include: { project: true },
    orderBy: { project: { createdAt: 'asc' } },
  });
  return rows.map((m) => ({
    id: m.project.id,
    name: m.project.name,
    category: m.project.category,
    domains: m.project.domains,
    role: m.role,
    createdAt: m.project.createdAt.toISOString(),
  }));
}
