import type { SqlRunner } from '@loupe/prisma/sql';
import { newApiToken, newId } from '../auth/apiTokens.ts';
import { ALL_SCOPES, type Scope } from '../auth/scopes.ts';

export interface NewApiToken {
  name: string;
  projectIds: readonly string[];
  scopes?: readonly Scope[];
  /** Null for operator tokens (CLI, demo): those act as an admin. */
  createdBy?: string | null;
}

/** Stores a token for the given projects; the token itself is returned once and only its hash is kept. */
export async function createApiToken(sql: SqlRunner, input: NewApiToken): Promise<{ id: string; token: string }> {
  const { token, hash } = newApiToken();
  const id = newId('tok_', 9);
  await sql.transaction(async (tx) => {
    await tx.query(`INSERT INTO api_tokens (id, name, token_hash, scopes, created_by) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      input.name,
      hash,
      [...(input.scopes ?? ALL_SCOPES)],
      input.createdBy ?? null,
    ]);
    await tx.query(`INSERT INTO api_token_projects (project_id, token_id) SELECT unnest($1::text[]), $2`, [
      [...input.projectIds],
      id,
    ]);
  });
  return { id, token };
}
