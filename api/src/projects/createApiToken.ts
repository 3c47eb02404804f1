import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@loupe/prisma';
import { newApiToken } from '../auth/apiTokens.ts';

/** Creates a project-scoped API token; the token itself is returned once and only its hash is stored. */
export async function createApiToken(
  prisma: PrismaClient,
  projectId: string,
  name: string,
): Promise<{ id: string; token: string }> {
  const { token, hash } = newApiToken();
  const id = `tok_${randomBytes(9).toString('base64url')}`;
  await prisma.apiToken.create({ data: { id, projectId, name, tokenHash: hash } });
  return { id, token };
}
