import type { SqlRunner } from '@loupe/prisma/sql';

/** Inactivity after which a visit ends (the seed's and the tracker's rule, enforced again on the server). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

export interface SessionKeyed {
  projectId: string;
  clientSessionId: string;
  /** Corrected time of the batch's first and last event (or its receipt when empty), ms. */
  firstMs: number;
  lastMs: number;
}

interface Latest {
  id: string;
  endedMs: number;
  n: number;
}

const keyOf = (projectId: string, clientSessionId: string): string => `${projectId}\u0000${clientSessionId}`;
const suffixOf = (id: string, clientSessionId: string): number =>
  id === clientSessionId ? 0 : Number(id.slice(clientSessionId.length + 1)) || 0;

/**
 * Assigns each batch its server session id: the tracker's session id, or `<id>.N` when the batch resumes more than
 * 30 idle minutes after that session's last activity. Reads the latest stored session per tracker session inside
 * the caller's transaction; batches of one job are chained in time order.
 */
export async function assignSessions<T extends SessionKeyed>(tx: SqlRunner, batches: T[]): Promise<Map<T, string>> {
  const pairs = new Map<string, [string, string]>();
  for (const b of batches) pairs.set(keyOf(b.projectId, b.clientSessionId), [b.projectId, b.clientSessionId]);
  const projectIds = [...pairs.values()].map((p) => p[0]);
  const sessionIds = [...pairs.values()].map((p) => p[1]);
  const rows = await tx.query<{ project_id: string; client_session_id: string; id: string; ended_at: Date }>(
    `SELECT DISTINCT ON (s.project_id, s.client_session_id) s.project_id, s.client_session_id, s.id, s.ended_at
       FROM sessions s JOIN unnest($1::text[], $2::text[]) AS k(project_id, client_session_id)
         ON s.project_id = k.project_id AND s.client_session_id = k.client_session_id
      ORDER BY s.project_id, s.client_session_id, s.started_at DESC`,
    [projectIds, sessionIds],
  );
  const latest = new Map<string, Latest>();
  for (const r of rows) {
    latest.set(keyOf(r.project_id, r.client_session_id), {
      id: r.id,
      endedMs: new Date(r.ended_at).getTime(),
      n: suffixOf(r.id, r.client_session_id),
    });
  }
  const out = new Map<T, string>();
  for (const b of [...batches].sort((a, z) => a.firstMs - z.firstMs)) {
    const key = keyOf(b.projectId, b.clientSessionId);
    const cur = latest.get(key);
    if (!cur) {
      latest.set(key, { id: b.clientSessionId, endedMs: b.lastMs, n: 0 });
      out.set(b, b.clientSessionId);
    } else if (b.firstMs - cur.endedMs > SESSION_IDLE_MS) {
      const n = cur.n + 1;
      const id = `${b.clientSessionId}.${n}`;
      latest.set(key, { id, endedMs: b.lastMs, n });
      out.set(b, id);
    } else {
      cur.endedMs = Math.max(cur.endedMs, b.lastMs);
      out.set(b, cur.id);
    }
  }
  return out;
}
