import type { SqlRunner } from '@loupe/prisma/sql';
import type { UserView } from '../accounts/signUp.ts';

/** A user's public fields, or null. */
export async function getUser(sql: SqlRunner, userId: string): Promise<UserView | null> {
  const [row] = await sql.query<{ id: string; email: string; name: string; created_at: Date }>(
    `SELECT id, email, name, created_at FROM users WHERE id = $1`,
    [userId],
  );
  return row ? { id: row.id, email: row.email, name: row.name, createdAt: new Date(row.created_at).toISOString() } : null;
}
