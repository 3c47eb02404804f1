import type { SqlRunner } from '@loupe/prisma/sql';
import { HttpError } from '../http/errors.ts';

const NOT_FOUND = (): HttpError => new HttpError(404, 'token_not_found', 'no such API token');

/** Revokes a token its creator owns. Idempotent: revoking a revoked token succeeds. */
export async function revokeOwnApiToken(sql: SqlRunner, userId: string, tokenId: string): Promise<void> {
  const [row] = await sql.query(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND created_by = $2 RETURNING id`,
    [tokenId, userId],
  );
  if (!row) throw NOT_FOUND();
}

/**
 * A project admin cuts a token off from their project. A token reaching other projects keeps those (this admin
 * has no say over them); a token left with no project is revoked.
 */
export async function revokeProjectApiToken(sql: SqlRunner, projectId: string, tokenId: string): Promise<void> {
  await sql.transaction(async (tx) => {
    const [link] = await tx.query(`DELETE FROM api_token_projects WHERE project_id = $1 AND token_id = $2 RETURNING token_id`, [
      projectId,
      tokenId,
    ]);
    if (!link) throw NOT_FOUND();
    await tx.query(
      `UPDATE api_tokens SET revoked_at = now()
        WHERE id = $1 AND revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM api_token_projects WHERE token_id = $1)`,
      [tokenId],
    );
  });
}
