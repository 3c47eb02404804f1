import type { AppDeps } from '../appDeps.ts';
import { createApiToken } from './createApiToken.ts';
import { createProject } from './createProject.ts';

export const DEMO_PROJECT_NAME = 'Demo store';

/**
 * First run of the quick start: creates the demo project (allowed on this server's own origin, where the demo
 * store is served) and an API token, and prints where to look. Later runs print the same URLs.
 */
export async function ensureDemoProject(deps: AppDeps, baseUrl: string): Promise<void> {
  const prisma = deps.db.prisma;
  let project = await prisma.project.findFirst({ where: { name: DEMO_PROJECT_NAME }, orderBy: { createdAt: 'asc' } });
  let tokenLine = '';
  if (!project) {
    const created = await createProject(prisma, { name: DEMO_PROJECT_NAME, settings: { allowedOrigins: [new URL(baseUrl).origin] } });
    const { token } = await createApiToken(prisma, created.id, 'demo');
    project = await prisma.project.findUniqueOrThrow({ where: { id: created.id } });
    tokenLine = `  API token (shown once): ${token}\n`;
  }
  process.stdout.write(
    `\nLoupe is running at ${baseUrl}\n` +
      `  Demo store:  ${baseUrl}/demo/\n` +
      `  API docs:    ${baseUrl}/docs\n` +
      `  Project:     ${project.name} (${project.id}), ingest key ${project.ingestKey}\n${tokenLine}` +
      `  Sessions:    curl -H "Authorization: Bearer <token>" ${baseUrl}/api/projects/${project.id}/sessions\n\n`,
  );
}
