/**
 * The ingest side of privacy: what `workers/processInbox.ts` asks before writing a claim. Kept here so the worker
 * holds one call, and everything that decides "this batch must not be written" lives with the privacy code.
 */
import { EventType, type Batch } from '@loupe/contract';
import type { SqlRunner } from '@loupe/prisma/sql';
import { insertVisitorTombstones } from '../queries/insertVisitorErasures.ts';
import { listBlockedVisitors, visitorKey } from '../queries/listBlockedVisitors.ts';

/** What the guard needs of a claimed, decoded batch. */
export interface GuardedBatch {
  inboxId: string;
  projectId: string;
  batch: Batch;
}

const identifyHashesOf = (batch: Batch): string[] => {
  const out: string[] = [];
  for (const e of batch.events) if (e.type === EventType.Identify) out.push(e.idHash);
  return out;
};

/**
 * Erased visitors and projects being deleted (the project cache may not know yet): returns the batches to keep and
 * pushes the others' inbox ids on `drop`, so a late or swept batch can never recreate what a privacy job deleted.
 * A batch that identifies with an erased identify hash is dropped and its visitor id tombstoned, with every other
 * batch of that visitor in the claim. One lookup for the whole claim (plus an INSERT in that rare case).
 */
export async function dropErased<P extends GuardedBatch>(tx: SqlRunner, prepared: P[], drop: string[]): Promise<P[]> {
  const pairs = new Map(prepared.map((p) => [visitorKey(p.projectId, p.batch.visitorId), { projectId: p.projectId, visitorId: p.batch.visitorId }]));
  const identifies = new Map<string, { projectId: string; identifyHash: string }>();
  for (const p of prepared) {
    for (const h of identifyHashesOf(p.batch)) identifies.set(visitorKey(p.projectId, h), { projectId: p.projectId, identifyHash: h });
  }
  const blocked = await listBlockedVisitors(tx, [...pairs.values()], [...identifies.values()]);
  for (const p of blocked.identifyHashes.size > 0 ? prepared : []) {
    const jobId = identifyHashesOf(p.batch)
      .map((h) => blocked.identifyHashes.get(visitorKey(p.projectId, h)))
      .find((j) => j !== undefined);
    if (jobId === undefined) continue;
    blocked.visitors.add(visitorKey(p.projectId, p.batch.visitorId));
    await insertVisitorTombstones(tx, p.projectId, [p.batch.visitorId], jobId);
  }
  if (blocked.visitors.size === 0) return prepared;
  const kept: P[] = [];
  for (const p of prepared) {
    if (blocked.visitors.has(visitorKey(p.projectId, p.batch.visitorId))) drop.push(p.inboxId);
    else kept.push(p);
  }
  return kept;
}
