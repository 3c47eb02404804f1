/**
 * Gzip of recording text, off the main thread where the page allows it. CompressionStream runs on the thread that
 * created it: on the main thread it cost ~80 ms over a 10k-element page's visit (bench/tracker). A dedicated worker
 * built from a Blob URL does that work instead; the text reaches it as one string (a copy, no structured clone of
 * objects). The recorder script itself comes from the api's origin, so a worker script URL of ours would be
 * cross-origin, which browsers refuse: a Blob URL is the only way in.
 *
 * Pages whose CSP refuses blob workers (`worker-src`, or `child-src` / `script-src` without `blob:`) either throw
 * at `new Worker` or fire `error` on it; then this compresses in the page's thread as before, including every text
 * the worker had not answered yet, so a refused worker loses nothing (the browser still reports the refusal as a CSP
 * violation). A worker silent for STALL_MS is given up the same way.
 */

/** Compresses `text` with gzip; answers null where the browser has no CompressionStream (the text goes as is). */
export type Compress = (text: string) => Promise<Uint8Array | null>;

/** Gzip with the platform's CompressionStream in the current thread. Self-contained: the worker runs its source. */
export async function gzipHere(text: string): Promise<Uint8Array | null> {
  const CS = (globalThis as { CompressionStream?: typeof CompressionStream }).CompressionStream;
  if (!CS) return null;
  const stream = new Blob([text]).stream().pipeThrough(new CS('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A worker that has not answered a text in this long is given up (gzip of 256 KB takes a few ms). */
const STALL_MS = 10_000;

/** What the worker receives and answers. */
interface Job {
  i: number;
  t: string;
}
interface Answer {
  i: number;
  b: Uint8Array | null;
}
/** The worker global this code touches (the tracker's TypeScript lib is the DOM's, not the worker's). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<Job>) => void) | null;
  postMessage(message: Answer, transfer: Transferable[]): void;
}

/** The worker's body, run from its own source text: it may use nothing but its argument and worker globals. */
function workerMain(gzip: typeof gzipHere): void {
  const scope = self as unknown as WorkerScope;
  scope.onmessage = (e) => {
    const { i, t } = e.data;
    gzip(t).then(
      (b) => scope.postMessage({ i, b }, b ? [b.buffer] : []),
      () => scope.postMessage({ i, b: null }, []),
    );
  };
}

/**
 * Answers a compress function backed by a worker, or by the page's thread when workers are refused. The worker
 * starts at the first call (the recorder's first chunk), not at load.
 */
export function createCompressor(): Compress {
  let worker: Worker | null | undefined;
  let next = 0;
  const waiting = new Map<number, { text: string; done: (b: Uint8Array | null) => void }>();

  function fallBack(): void {
    worker?.terminate();
    worker = null;
    for (const w of waiting.values()) gzipHere(w.text).then(w.done, () => w.done(null));
    waiting.clear();
  }

  function start(): Worker | null {
    try {
      const url = URL.createObjectURL(new Blob([`(${workerMain})(${gzipHere})`], { type: 'text/javascript' }));
      const w = new Worker(url);
      w.onmessage = (e: MessageEvent<Answer>) => {
        URL.revokeObjectURL(url);
        const job = waiting.get(e.data.i);
        waiting.delete(e.data.i);
        // A worker without CompressionStream (the page's thread has one, or we would not be here): compress here.
        if (job) (e.data.b ? Promise.resolve(e.data.b) : gzipHere(job.text)).then(job.done, () => job.done(null));
      };
      // A worker refused by CSP or failing to start, where the browser reports it as an event rather than a throw.
      w.onerror = fallBack;
      return w;
    } catch {
      // CSP refusal thrown by the constructor (other browsers), or no Worker at all.
      return null;
    }
  }

  return (text) => {
    if (worker === undefined) worker = typeof CompressionStream === 'function' ? start() : null;
    if (!worker) return gzipHere(text);
    const w = worker;
    return new Promise((done) => {
      const i = next++;
      waiting.set(i, { text, done });
      w.postMessage({ i, t: text } satisfies Job);
      // A worker that neither answers nor fails (a page's broken Worker shim) must not hold the recording back.
      setTimeout(() => waiting.has(i) && worker === w && fallBack(), STALL_MS);
    });
  };
}
