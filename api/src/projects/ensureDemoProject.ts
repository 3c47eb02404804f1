import type { AppDeps } from '../appDeps.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { newId, newSecret } from '../auth/apiTokens.ts';
import { createApiToken } from './createApiToken.ts';
import { createProject } from './createProject.ts';

export const DEMO_PROJECT_NAME = 'Demo store';
const DEMO_TOKEN_NAME = 'demo (printed at start)';
export const DEMO_ADMIN_EMAIL = 'demo@loupe.local';

/** The demo store's admin account; like the token, its password is replaced and printed on every start. */
async function ensureDemoAdmin(deps: AppDeps, projectId: string): Promise<string> {
  const password = newSecret(12);
  const hash = await hashPassword(password);
  const [user] = await deps.db.sql.query<{ id: string }>(
    `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'Demo admin', $3)
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id`,
    [newId('usr_'), DEMO_ADMIN_EMAIL, hash],
  );
  await deps.db.sql.query(
    `INSERT INTO memberships (project_id, user_id, role) VALUES ($1, $2, 'admin') ON CONFLICT (project_id, user_id) DO NOTHING`,
    [projectId, user!.id],
  );
  return password;
}

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
  await prisma.apiToken.updateMany({
    where: { name: DEMO_TOKEN_NAME, revokedAt: null, projects: { some: { projectId: project.id } } },
    data: { revokedAt: new Date() },
  });
  const { token } = await createApiToken(deps.db.sql, { name: DEMO_TOKEN_NAME, projectIds: [project.id] });
  const password = await ensureDemoAdmin(deps, project.id);
  process.stdout.write(
    `\nLoupe is running at ${baseUrl}\n` +
      `  Demo store:  ${baseUrl}/demo/\n` +
      `  API docs:    ${baseUrl}/docs\n` +
      `  Project:     ${project.name} (${project.id}), ingest key ${project.ingestKey}\n` +
      `  Log in:      ${DEMO_ADMIN_EMAIL} / ${password}  (password valid until the next start)\n` +
      `  API token:   ${token}  (valid until the next start)\n` +
      `  Sessions:    curl -H "Authorization: Bearer ${token}" ${baseUrl}/api/projects/${project.id}/sessions\n\n`,
  );
}
