/**
 * Test data for privacy jobs: visitors sent through /collect the way a browser would, and checks written
 * independently of the code under test (they look rows up by column, not through `visitorScope.ts`).
 */
import assert from 'node:assert/strict';
import { EventType, type LoupeEvent } from '@loupe/contract';
import { makeBatch, makeMixedEvents, newClientId } from '@loupe/contract/testing';
import type { SqlRunner } from '@loupe/prisma/sql';
import { createLogger } from '../../src/logger.ts';
import type { PrivacyContext } from '../../src/privacy/context.ts';
import { discoverProjectTables } from '../../src/privacy/tableRegistry.ts';
import { eventually, postBatch, type TestApi } from '../helpers/testRuntime.ts';

export interface SeededVisitor {
  visitorId: string;
  /** Tracker session ids (the server's equal these unless split). */
  sessionIds: string[];
}

/** Sends `sessions` sessions of `batches` batches each (20 mixed events, an identify event if `idHash`). */
export async function seedVisitor(
  api: TestApi,
  ingestKey: string,
  o: { visitorId?: string; sessions?: number; batches?: number; idHash?: string } = {},
): Promise<SeededVisitor> {
  const visitorId = o.visitorId ?? newClientId();
  const sessionIds: string[] = [];
  for (let s = 0; s < (o.sessions ?? 2); s++) {
    const sessionId = newClientId();
    const pageViewId = newClientId();
    sessionIds.push(sessionId);
    for (let seq = 0; seq < (o.batches ?? 2); seq++) {
      const now = Date.now();
      const events: LoupeEvent[] = makeMixedEvents(20, now, pageViewId, seq);
      events.push({ type: EventType.Custom, time: now - 10, name: 'added_to_cart' });
      if (o.idHash && seq === 0) events.push({ type: EventType.Identify, time: now - 5, idHash: o.idHash });
      const res = await postBatch(api, makeBatch({ projectKey: ingestKey, visitorId, sessionId, pageViewId, seq, clientTime: now, events }));
      assert.equal(res.status, 200, await res.text());
    }
  }
  return { visitorId, sessionIds };
}

/** Rows per table of a project, over every table with project_id (those with none are left out). */
export async function projectCounts(sql: SqlRunner, projectId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await discoverProjectTables(sql)) {
    const [r] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.name}" WHERE project_id = $1`, [projectId]);
    if (r && r.n > 0) out[t.name] = r.n;
  }
  return out;
}

/**
 * Rows of one visitor, per table: by `visitor_id`, by the given server session ids, `visitors.id`, inbox bodies
 * whose envelope names the visitor, privacy jobs and exports that mention the id. Independent of the erasure code
 * on purpose.
 */
export async function visitorCounts(sql: SqlRunner, projectId: string, visitorId: string, sessionIds: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await discoverProjectTables(sql)) {
    let where: string;
    let key: unknown = visitorId;
    if (t.name === 'visitors') where = 'id = $2';
    else if (t.name === 'privacy_jobs') where = `strpos(params::text || coalesce(result::text, ''), $2) > 0`;
    else if (t.name === 'privacy_exports') where = 'strpos(document, $2) > 0';
    else if (t.name === 'inbox_batches') where = `(body::jsonb ->> 'vi') = $2`;
    else if (t.columns.has('visitor_id')) where = 'visitor_id = $2';
    else if (t.columns.has('session_id')) [where, key] = ['session_id = ANY($2::text[])', sessionIds];
    else continue;
    const [r] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.name}" WHERE project_id = $1 AND ${where}`, [projectId, key]);
    if (r && r.n > 0) out[t.name] = r.n;
  }
  return out;
}

/** Server session ids of a visitor (including split `.N` sessions). */
export async function sessionIdsOf(sql: SqlRunner, projectId: string, visitorId: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>('SELECT id FROM sessions WHERE project_id = $1 AND visitor_id = $2 ORDER BY id', [projectId, visitorId]);
  return rows.map((r) => r.id);
}

/** Waits until every inbox row of the project is processed (or dropped). */
export async function waitInboxSettled(sql: SqlRunner, projectId: string): Promise<void> {
  await eventually(
    async () => {
      const [r] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_batches WHERE project_id = $1 AND processed_at IS NULL', [projectId]);
      return r?.n === 0;
    },
    20_000,
    'inbox settled',
  );
}

/** A job context on the test runtime's database. */
export function privacyContext(api: TestApi, extra: Partial<PrivacyContext> = {}): PrivacyContext {
  return { sql: api.runtime.deps.db.sql, logger: createLogger('silent'), ...extra };
}

/** Polls a privacy job row until it reaches `status` (or disappears, for `gone`). */
export async function waitJob(sql: SqlRunner, jobId: string, status: 'done' | 'failed' | 'gone', timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      const [r] = await sql.query<{ status: string }>('SELECT status FROM privacy_jobs WHERE id = $1', [jobId]);
      return status === 'gone' ? r === undefined : r?.status === status;
    },
    timeoutMs,
    `privacy job ${jobId} ${status}`,
  );
}

/** Calls a project route with the project's token. */
export async function call(api: TestApi, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
