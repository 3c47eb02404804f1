import { parseProjectSettings } from '@loupe/contract';
import { DEMO_PROJECT_NAME, ensureDemoProject } from '../../src/projects/ensureDemoProject.ts';
import type { TestApi } from '../helpers/testRuntime.ts';

export interface DemoProject {
  id: string;
  ingestKey: string;
  /** Everything ensureDemoProject printed, API token included: none of it but the ingest key may reach the page. */
  printed: string;
}

/**
 * The quick start's demo project for this test api. On a shared PostgreSQL an earlier run's project (allowed on
 * another port) may be the one the page picks, so this origin is made the allowed one.
 */
export async function readyDemoProject(api: TestApi): Promise<DemoProject> {
  let printed = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await ensureDemoProject(api.runtime.deps, api.url);
  } finally {
    process.stdout.write = write;
  }
  const prisma = api.runtime.deps.db.prisma;
  const project = await prisma.project.findFirstOrThrow({ where: { name: DEMO_PROJECT_NAME }, orderBy: { createdAt: 'asc' } });
  const settings = parseProjectSettings(project.settings);
  const origin = new URL(api.url).origin;
  if (!settings.allowedOrigins.includes(origin)) {
    await prisma.project.update({ where: { id: project.id }, data: { settings: { ...settings, allowedOrigins: [origin] } } });
    api.runtime.deps.projects.invalidate();
  }
  return { id: project.id, ingestKey: project.ingestKey, printed };
}
