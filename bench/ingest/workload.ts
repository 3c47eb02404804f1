/**
 * The benchmark's traffic: realistic ~20-event batches from many distinct sessions, built with the contract's own
 * test builders (`makeBatch` + `makeMixedEvents`).
 *
 * The *structure* (page views per session, batches per page view) comes from a seeded PRNG, so two builds with the
 * same spec yield the same number of rows in every table (the pipeline's output and the reference's input are
 * checked against each other); ids are random per build, so runs never collide.
 */
import { toWire, type Batch } from '@loupe/contract';
import { makeBatch, makeMixedEvents, newClientId, seededRandom } from '@loupe/contract/testing';

export interface WorkloadSpec {
  projectKey: string;
  /** Batches to build. */
  batches: number;
  /** Events per batch (the tracker flushes about 20). */
  eventsPerBatch: number;
  /** Structure seed (same seed + same counts = same rows per table). */
  seed: number;
  /** Sessions sending at the same time; consecutive batches of one session are this many requests apart. */
  activeSessions?: number;
}


/**
 * Builds the batches in send order: sessions of 1–3 page views, each of 1–4 batches with `seq` 0, 1, 2 …;
 * `activeSessions` sessions are interleaved round-robin (each session's batches stay in order).
 */
export function buildBatches(spec: WorkloadSpec): Batch[] {
  const rnd = seededRandom(spec.seed);
  const now = Date.now();
  // 1. Session plans: a list of page views, each a number of batches.
  const plans: number[][] = [];
  let planned = 0;
  while (planned < spec.batches) {
    const pages: number[] = [];
    const pageCount = 1 + Math.floor(rnd() * 3);
    for (let p = 0; p < pageCount && planned < spec.batches; p++) {
      const n = Math.min(1 + Math.floor(rnd() * 4), spec.batches - planned);
      pages.push(n);
      planned += n;
    }
    plans.push(pages);
  }
  // 2. Each session's batches, in order.
  const sessions: Batch[][] = plans.map((pages, s) => {
    const visitorId = newClientId();
    const sessionId = newClientId();
    const out: Batch[] = [];
    let clientTime = now - 60_000 + (s % 1000);
    for (const batchesOfPage of pages) {
      const pageViewId = newClientId();
      const url = `https://shop.example.com/products/item-${pageViewId.length % 7}`;
      for (let seq = 0; seq < batchesOfPage; seq++) {
        clientTime += 2_000;
        out.push(
          makeBatch({
            projectKey: spec.projectKey,
            visitorId,
            sessionId,
            pageViewId,
            seq,
            clientTime,
            url,
            events: makeMixedEvents(spec.eventsPerBatch, clientTime, pageViewId, seq),
          }),
        );
      }
    }
    return out;
  });
  // 3. Interleave: round-robin over a window of active sessions, refilled as sessions end.
  const window = Math.max(1, spec.activeSessions ?? 512);
  const active: { batches: Batch[]; next: number }[] = [];
  let nextSession = 0;
  const order: Batch[] = [];
  const refill = () => {
    while (active.length < window && nextSession < sessions.length) active.push({ batches: sessions[nextSession++]!, next: 0 });
  };
  refill();
  while (active.length > 0) {
    for (let i = 0; i < active.length; ) {
      const s = active[i]!;
      order.push(s.batches[s.next++]!);
      if (s.next >= s.batches.length) active.splice(i, 1);
      else i++;
    }
    refill();
  }
  return order;
}

/** The wire body the tracker would send (short keys), as a JSON string. */
export const encodeBody = (batch: Batch): string => JSON.stringify(toWire(batch));
