/**
 * Turns rrweb events into ordered chunks and uploads them. A session's recording is the concatenation, in `seq`
 * order, of every chunk's decompressed bytes: newline-delimited JSON, one rrweb event per line. Chunks are cut so
 * that each compressed body fits beacon and keepalive budgets (~64 KB): text is compressed with CompressionStream
 * where present (in a worker where the page allows one: compressor.ts), and a chunk whose compressed size is over the bound is halved (anywhere: the reader joins bytes).
 * Uploads go one at a time, in order, retried with back-off; on page hide what is left goes uncompressed by
 * keepalive fetch (CompressionStream is asynchronous and the page may not wait).
 */
import type { WireEvent } from '@loupe/contract/browser';
import type { RecorderIds } from './bridge.ts';
import { createCompressor, type Compress } from './compressor.ts';

/** Compressed bytes per chunk at most; the browser's keepalive budget is 64 KiB for all requests in flight. */
export const MAX_CHUNK_BYTES = 60_000;
/** Uncompressed text per chunk before compressing (JSON of DOM snapshots compresses ~5-10x). */
const TEXT_TARGET = 256_000;
const FLUSH_MS = 5000;
const MAX_PENDING_BYTES = 4_000_000;

export interface UploaderOptions {
  endpoint: string;
  key: string;
  ids(): RecorderIds;
  push(event: WireEvent): void;
  /** The api refused the session (daily cap reached, recording switched off): stop recording. */
  onRefused(): void;
  /** Gzip of a chunk's text; by default in a worker where the page allows one (compressor.ts). */
  compress?: Compress;
}

interface Chunk {
  seq: number;
  ts: number;
  body: Uint8Array | string;
  encoding: 'gzip' | 'identity';
  ids: RecorderIds;
}

export function createUploader(o: UploaderOptions) {
  const gzip = o.compress ?? createCompressor();
  let text = '';
  /** Emitted events not yet in `text`: serialized in a task of their own, so the full snapshot's JSON (megabytes on
   * a large page) does not lengthen rrweb's snapshot task, the recorder's longest. */
  let events: unknown[] = [];
  /** Masking left for later by the emitter (maskAttributes.ts): always run before `events` are serialized. */
  let unmasked: (() => void)[] = [];
  let serializeTimer: ReturnType<typeof setTimeout> | undefined;
  let firstTs = 0;
  let seq = 0;
  let sessionId = '';
  const outbox: Chunk[] = [];
  let busy = false;
  let failures = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let compressing = Promise.resolve();

  const url = (c: Chunk): string =>
    `${o.endpoint}?k=${encodeURIComponent(o.key)}&s=${c.ids.sessionId}&v=${c.ids.visitorId}&p=${c.ids.pageViewId}` +
    `&n=${c.seq}&t=${c.ts}&enc=${c.encoding}`;

  async function toChunks(part: string, ts: number, ids: RecorderIds): Promise<void> {
    const gz = await gzip(part);
    const body = gz ?? part;
    const size = gz ? gz.length : new Blob([part]).size;
    if (size > MAX_CHUNK_BYTES && part.length > 1) {
      const half = Math.ceil(part.length / 2);
      await toChunks(part.slice(0, half), ts, ids);
      await toChunks(part.slice(half), ts + 1, ids);
      return;
    }
    outbox.push({ seq: seq++, ts, body, encoding: gz ? 'gzip' : 'identity', ids });
  }

  function pump(): void {
    const c = outbox[0];
    if (busy || !c || stopped) return;
    busy = true;
    fetch(url(c), { method: 'POST', body: c.body as BodyInit, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain' } })
      .then((r) => {
        busy = false;
        if (r.status === 403 || r.status === 404 || r.status === 409) {
          stopped = true;
          o.onRefused();
          return;
        }
        if (r.status >= 500 || r.status === 429) throw new Error(String(r.status));
        outbox.shift();
        failures = 0;
        o.push({ t: 'rc', ts: c.ts, ch: c.seq, b: c.body.length });
        pump();
      })
      .catch(() => {
        busy = false;
        if (++failures > 6) return void outbox.shift();
        setTimeout(pump, Math.min(60_000, 1000 * 2 ** failures));
      });
  }

  function serialize(): void {
    clearTimeout(serializeTimer);
    serializeTimer = undefined;
    for (const mask of unmasked) mask();
    unmasked = [];
    for (const event of events) text += `${JSON.stringify(event)}\n`;
    events = [];
    if (text.length > MAX_PENDING_BYTES) text = '';
  }

  /** Cuts what is buffered into chunks (asynchronously, in order) and uploads them. */
  function flush(): void {
    serialize();
    clearTimeout(timer);
    timer = undefined;
    if (!text || stopped) return;
    const all = text;
    const ts = firstTs;
    const ids = o.ids();
    text = '';
    // Cut to TEXT_TARGET before compressing: a full snapshot is megabytes of text, and compressing it whole, then
    // each half again until a half fits, would compress the same bytes three or four times on the main thread.
    compressing = compressing
      .then(async () => {
        for (let at = 0; at < all.length; at += TEXT_TARGET) await toChunks(all.slice(at, at + TEXT_TARGET), ts, ids);
      })
      .then(pump, () => undefined);
  }

  return {
    /** Buffers an event; `mask`, if any, finishes masking it and runs before it is serialized. */
    add(event: unknown, time: number, mask?: () => void): void {
      if (stopped) return;
      const ids = o.ids();
      // A new tracker session (30 minutes idle) starts its recording at seq 0.
      if (ids.sessionId !== sessionId) {
        flush();
        sessionId = ids.sessionId;
        seq = 0;
      }
      if (!text && !events.length) firstTs = time;
      events.push(event);
      if (mask) unmasked.push(mask);
      serializeTimer ||= setTimeout(() => {
        serialize();
        if (text.length >= TEXT_TARGET) flush();
        else if (!timer && text) timer = setTimeout(flush, FLUSH_MS);
      });
    },
    flush,
    /** Page hide: send the buffered text uncompressed, up to one keepalive budget. */
    hide(): void {
      serialize();
      clearTimeout(timer);
      timer = undefined;
      if (!text || stopped) return;
      const part = text.slice(0, MAX_CHUNK_BYTES / 2);
      text = text.slice(part.length);
      const c: Chunk = { seq: seq++, ts: firstTs, body: part, encoding: 'identity', ids: o.ids() };
      // Chunks still compressing may arrive after this one; the api orders by seq, which is already assigned.
      fetch(url(c), { method: 'POST', body: part, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain' } }).catch(
        () => undefined,
      );
      firstTs = Date.now();
    },
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(serializeTimer);
      text = '';
      events = [];
      unmasked = [];
      outbox.length = 0;
    },
  };
}
