import { batchSchema, toWire, type Batch } from '@loupe/contract';
import { HttpError } from '../http/errors.ts';
import type { InboxWriter } from '../ingest/inboxWriter.ts';

const formatPath = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/**
 * Validates every batch a platform adapter produced, then commits them to the inbox (the same durable hand-over
 * as /collect, so workers, exactly-once processing and the sweeper apply unchanged). Nothing is written unless
 * every batch is valid; resent events are duplicates by the inbox's unique key.
 */
export async function storeCheckoutBatches(
  inbox: InboxWriter,
  projectId: string,
  batches: readonly Batch[],
): Promise<{ stored: number; duplicates: number }> {
  batches.forEach((b, i) => {
    const parsed = batchSchema.safeParse(b);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, 'invalid_event', `events[${i}] maps to an invalid batch: ${formatPath(issue?.path ?? [])}: ${issue?.message}`);
    }
  });
  const results = await Promise.all(
    batches.map((b) =>
      inbox.write({
        projectId,
        sessionId: b.sessionId,
        pageViewId: b.pageViewId,
        seq: b.seq,
        body: JSON.stringify(toWire(b)),
        userAgent: null,
      }),
    ),
  );
  const duplicates = results.filter((r) => r.duplicate).length;
  return { stored: results.length - duplicates, duplicates };
}
