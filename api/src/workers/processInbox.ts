import { fromWire, type Batch } from '@loupe/contract';
import type { SqlRunner } from '@loupe/prisma/sql';
import type { ProjectCache } from '../ingest/projectCache.ts';
import type { Logger } from '../logger.ts';
import { shareLockWithPrivacy } from '../privacy/ingestLock.ts';
import { dropErased } from '../privacy/ingestGuard.ts';
import { addBatchRows, batchSpan, type PreparedBatch } from './buildRows.ts';
import { emptyRowSet, eventRowCount } from './rows.ts';
import { assignSessions } from './sessionize.ts';
import { lockPartition, partitionOfRow } from './partitionLocks.ts';
import { writeRows } from './writeRows.ts';

/**
 * Batches decoded or turned into rows between two yields to the event loop: a worker sharing the api's process (the
 * embedded default, `LOUPE_INLINE_WORKERS`) must not hold up `/collect` for a whole claim of hundreds of batches.
 */
const YIELD_EVERY = 16;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface ClaimedRow {
  id: string;
  project_id: string;
  received_at: Date;
  body: string;
  user_agent: string | null;
}

/** PostgreSQL text cannot hold U+0000, which JSON may escape into any string: drop it (rarely present, so test first). */
const stripNul = (_key: string, value: unknown): unknown =>
  typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
/**
 * Decodes an inbox body. Every body was validated against the contract at ingest (older contract versions are
 * upgraded by `fromWire`), so the worker does not pay for zod a second time; a body that is not even a batch
 * shape (which ingest cannot produce) yields null.
 */
const decodeBody = (body: string): Batch | null => {
  try {
    const batch = fromWire(body.includes('\\u0000') ? JSON.parse(body, stripNul) : JSON.parse(body)) as Batch | undefined;
    return batch && typeof batch === 'object' && Array.isArray(batch.events) && typeof batch.sessionId === 'string' ? batch : null;
  } catch {
    return null;
  }
};

export interface ProcessResult {
  /** Inbox rows this call turned into rows (0 when another run already had). */
  batches: number;
  events: number;
  /** The partition's lock was held by another transaction, so nothing was claimed (only when not waiting). */
  busy?: boolean;
}

/** One of `of` disjoint shares of the inbox, by session (`partitionLocks.ts`); `wait`: queue for its lock rather than skip it. */
export interface InboxPartition {
  index: number;
  of: number;
  wait: boolean;
}

/**
 * Which inbox rows to claim: exactly these ids, or the oldest `limit` unclaimed rows that never failed — of one
 * partition when `partition` is given.
 */
export type ClaimTarget = { ids: readonly string[] } | { limit: number; partition?: InboxPartition };

const CLAIM_IDS = `UPDATE inbox_batches SET processed_at = now()
  WHERE id = ANY($1::bigint[]) AND processed_at IS NULL
  RETURNING id::text AS id, project_id, received_at, body, user_agent`;

// SKIP LOCKED: concurrent workers take disjoint sets instead of queueing behind each other's row locks.
const CLAIM_OLDEST = `UPDATE inbox_batches SET processed_at = now()
  WHERE id IN (SELECT id FROM inbox_batches WHERE processed_at IS NULL AND attempts = 0
                AND ($2::int = 1 OR ${partitionOfRow('$2')} = $3::int)
                ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING id::text AS id, project_id, received_at, body, user_agent`;

type Prepared = Omit<PreparedBatch, 'sessionId'> & { clientSessionId: string; firstMs: number; lastMs: number };

/**
 * Turns inbox rows into sessions, visitors, page views and event rows — exactly once. Claiming (setting
 * `processed_at`) and every write happen in one transaction: if the worker dies midway nothing is committed and the
 * rows stay unclaimed for a retry or the sweeper; a second run over the same ids claims nothing and writes nothing.
 * A concurrent duplicate blocks on the row locks (or skips them) and then finds them claimed.
 * `onClaimed` learns the claimed ids before the writes, so a caller can isolate them if the transaction fails.
 * Batches of erased visitors and of projects being deleted are dropped (and deleted) instead of written; the shared
 * privacy lock taken first orders this against erasures (`privacy/ingestLock.ts`).
 */
export async function processInbox(
  sql: SqlRunner,
  projects: ProjectCache,
  target: ClaimTarget,
  logger: Logger,
  onClaimed?: (ids: string[]) => void,
): Promise<ProcessResult> {
  return sql.transaction(async (tx) => {
    // Before claiming: a visitor erasure or project deletion committed before this point is seen by the check below.
    await shareLockWithPrivacy(tx);
    const part = 'limit' in target ? target.partition : undefined;
    if (part && part.of > 1 && !(await lockPartition(tx, part.index, part.wait))) return { batches: 0, events: 0, busy: true };
    const claimed =
      'ids' in target
        ? await tx.query<ClaimedRow>(CLAIM_IDS, [target.ids])
        : await tx.query<ClaimedRow>(CLAIM_OLDEST, [target.limit, part?.of ?? 1, part?.index ?? 0]);
    onClaimed?.(claimed.map((r) => r.id));
    if (claimed.length === 0) return { batches: 0, events: 0 };

    const prepared: Prepared[] = [];
    // Raw rows to delete in this transaction: they hold personal data of a deleted project or an erased visitor.
    const drop: string[] = [];
    for (const [i, row] of claimed.entries()) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      const project = await projects.byProjectId(row.project_id, tx);
      const batch = decodeBody(row.body);
      if (!project || !batch) {
        // Validated at ingest, so this means the project was deleted or the contract regressed: drop, but say so.
        logger.warn({ inboxId: row.id, projectId: row.project_id, error: batch ? 'project gone' : 'not a batch' }, 'inbox batch skipped');
        if (!project) drop.push(row.id);
        continue;
      }
      const receivedMs = new Date(row.received_at).getTime();
      prepared.push({
        inboxId: row.id,
        projectId: row.project_id,
        receivedMs,
        batch,
        headerUa: row.user_agent,
        settings: project.settings,
        clientSessionId: batch.sessionId,
        ...batchSpan(batch, receivedMs),
      });
    }

    const kept = await dropErased(tx, prepared, drop);
    if (drop.length > 0) {
      await tx.query('DELETE FROM inbox_batches WHERE id = ANY($1::bigint[])', [drop]);
      logger.info({ dropped: drop.length }, 'inbox batches of erased visitors or deleted projects dropped');
    }

    const sessions = await assignSessions(tx, kept);
    const rows = emptyRowSet();
    for (const [i, p] of kept.entries()) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      addBatchRows(rows, { ...p, sessionId: sessions.get(p) ?? p.clientSessionId });
    }
    await writeRows(tx, rows);
    return { batches: claimed.length, events: eventRowCount(rows) };
  });
}
