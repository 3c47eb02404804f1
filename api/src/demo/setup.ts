import { parseProjectSettings } from '@loupe/contract';
import type { PrismaClient } from '@loupe/prisma';
import { isOriginAllowed } from '../ingest/originCheck.ts';
import { DEMO_PROJECT_NAME } from '../projects/ensureDemoProject.ts';
import { installSnippetScript } from '../projects/installSnippet.ts';
import type { DemoSetup } from './page.ts';

/**
 * Finds the demo project and checks that the page's origin may send to it. Only the public ingest key is read:
 * nothing else about the project can end up on the page.
 */
export async function demoSetup(prisma: PrismaClient, pageOrigin: string): Promise<DemoSetup> {
  const project = await prisma.project.findFirst({
    where: { name: DEMO_PROJECT_NAME },
    orderBy: { createdAt: 'asc' },
    select: { ingestKey: true, settings: true, disabledAt: true },
  });
  if (!project) return { status: 'no_project' };
  if (project.disabledAt) return { status: 'disabled' };
  const { allowedOrigins } = parseProjectSettings(project.settings);
  if (!isOriginAllowed(pageOrigin, allowedOrigins)) return { status: 'origin_not_allowed', origin: pageOrigin, allowed: allowedOrigins };
  return { status: 'ready', ingestKey: project.ingestKey, snippet: installSnippetScript(pageOrigin, project.ingestKey) };
}
