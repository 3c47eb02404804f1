import type { AppDeps } from '../appDeps.ts';
import { createApiToken } from './createApiToken.ts';
import { createProject } from './createProject.ts';

export const DEMO_PROJECT_NAME = 'Demo store';
const DEMO_TOKEN_NAME = 'demo (printed at start)';

/** The server's own origin, plus its localhost / 127.0.0.1 twin, since people type either into the address bar. */
function demoOrigins(baseUrl: string): string[] {
  const url = new URL(baseUrl);
  const origins = [url.origin];
  const twin = url.hostname === '127.0.0.1' ? 'localhost' : url.hostname === 'localhost' ? '127.0.0.1' : null;
  if (twin) origins.push(`${url.protocol}//${twin}${url.port ? `:${url.port}` : ''}`);
  return origins;
}

/**
 * First run of the quick start: creates the demo project (allowed on this server's own origin, where the demo
 * store is served), and on every start prints where to look with a fresh API token.
 */
export async function ensureDemoProject(deps: AppDeps, baseUrl: string): Promise<void> {
  const prisma = deps.db.prisma;
  let project = await prisma.project.findFirst({ where: { name: DEMO_PROJECT_NAME }, orderBy: { createdAt: 'asc' } });
  if (!project) {
    const created = await createProject(prisma, { name: DEMO_PROJECT_NAME, settings: { allowedOrigins: demoOrigins(baseUrl) } });
    project = await prisma.project.findUniqueOrThrow({ where: { id: created.id } });
  }
  // A token is only ever shown once, and on PGlite the CLI cannot mint one while the api runs: each start replaces
  // the previous start's demo token with a fresh one.
  await prisma.apiToken.updateMany({ where: { projectId: project.id, name: DEMO_TOKEN_NAME, revokedAt: null }, data: { revokedAt: new Date() } });
  const { token } = await createApiToken(prisma, project.id, DEMO_TOKEN_NAME);
  process.stdout.write(
    `\nLoupe is running at ${baseUrl}\n` +
      `  Demo store:  ${baseUrl}/demo/\n` +
      `  API docs:    ${baseUrl}/docs\n` +
      `  Project:     ${project.name} (${project.id}), ingest key ${project.ingestKey}\n` +
      `  API token:   ${token}  (valid until the next start)\n` +
      `  Sessions:    curl -H "Authorization: Bearer ${token}" ${baseUrl}/api/projects/${project.id}/sessions\n\n`,
  );
}
