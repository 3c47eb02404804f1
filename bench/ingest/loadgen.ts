/**
 * The load generator, run as a child process (IPC) so it never shares an event loop with the api.
 *
 *   build  → encodes the batches (makeBatch + makeMixedEvents → toWire → JSON) before anything is timed
 *   blast  → closed loop at saturation: N keep-alive connections, each sends the next body as soon as its last
 *            response is in
 *   paced  → open loop at a fixed rate (request i goes out at t0 + i/rate) over at most N keep-alive connections;
 *            records each request's latency and the wall-clock time its 200 came back (for the accept → queryable lag)
 *
 * Both use the lean client of `rawHttp.ts`: the load generator runs on the cores it measures, so its own CPU per
 * request is kept small.
 */
import { performance } from 'node:perf_hooks';
import { DESKTOP_CHROME_UA } from '@loupe/contract/testing';
import { encodeRequest, RawConnection, RawPool } from './rawHttp.ts';
import { buildBatches, encodeBody, type WorkloadSpec } from './workload.ts';

export const ORIGIN = 'https://shop.example.com';

export type LoadgenRequest =
  | { cmd: 'build'; spec: WorkloadSpec }
  | { cmd: 'blast'; url: string; connections: number }
  | { cmd: 'paced'; url: string; rate: number; connections: number }
  | { cmd: 'exit' };

export interface BuildReply { kind: 'built'; batches: number; events: number; bytes: number; ms: number }
export interface BlastReply {
  kind: 'blast';
  /** Epoch ms of the first request and of the last response. */
  startMs: number;
  endMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  latencyP50: number;
  latencyP99: number;
}
export interface PacedReply {
  kind: 'paced';
  startMs: number;
  endMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Per-request latency in ms (send → response end), sorted ascending. */
  latencies: number[];
  /** `sessionId|pageViewId|seq` → epoch ms the 2xx arrived. */
  acceptedAt: [string, number][];
}
export type LoadgenReply = BuildReply | BlastReply | PacedReply | { kind: 'error'; message: string };

const HEADERS = {
  'content-type': 'text/plain;charset=UTF-8',
  origin: ORIGIN,
  'user-agent': DESKTOP_CHROME_UA,
};

let bodies: Buffer[] = [];
let keys: string[] = [];

const nowMs = (): number => performance.timeOrigin + performance.now();

function build(spec: WorkloadSpec): BuildReply {
  const t0 = performance.now();
  const batches = buildBatches(spec);
  bodies = batches.map((b) => Buffer.from(encodeBody(b)));
  keys = batches.map((b) => `${b.sessionId}|${b.pageViewId}|${b.seq}`);
  return {
    kind: 'built',
    batches: batches.length,
    events: batches.reduce((n, b) => n + b.events.length, 0),
    bytes: bodies.reduce((n, b) => n + b.length, 0),
    ms: performance.now() - t0,
  };
}

/** The encoded requests for `url` (its host and port go into each request's Host header). */
function requestsFor(url: string): { target: URL; requests: Buffer[] } {
  const target = new URL(url);
  return { target, requests: bodies.map((b) => encodeRequest(target.host, '/collect', HEADERS, b)) };
}

const ok = (status: number): boolean => status >= 200 && status < 300;

async function blast(url: string, connections: number): Promise<BlastReply> {
  const { target, requests } = requestsFor(url);
  const n = requests.length;
  const latencies: number[] = [];
  let next = 0;
  let non2xx = 0;
  let errors = 0;
  const conns = Array.from({ length: Math.min(connections, n) }, () => new RawConnection(target.hostname, Number(target.port)));
  const startMs = nowMs();
  await Promise.all(
    conns.map(async (first) => {
      let conn = first;
      while (next < n) {
        const i = next++;
        const sent = performance.now();
        try {
          if (conn.closed) conn = new RawConnection(target.hostname, Number(target.port));
          if (!ok(await conn.request(requests[i]!))) non2xx++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - sent);
      }
      conn.close();
    }),
  );
  const endMs = nowMs();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { kind: 'blast', startMs, endMs, requests: n, non2xx, errors, latencyP50: at(50), latencyP99: at(99) };
}

function paced(url: string, rate: number, connections: number): Promise<PacedReply> {
  const { target, requests } = requestsFor(url);
  const pool = new RawPool(target.hostname, Number(target.port), connections);
  const n = requests.length;
  const latencies = new Array<number>(n).fill(NaN);
  const acceptedAt: [string, number][] = [];
  let done = 0;
  let non2xx = 0;
  let errors = 0;
  const interval = 1000 / rate;
  return new Promise((resolve) => {
    const t0 = performance.now() + 20;
    const startMs = performance.timeOrigin + t0;
    let next = 0;
    const finish = () => {
      if (++done < n) return;
      pool.close();
      resolve({
        kind: 'paced',
        startMs,
        endMs: nowMs(),
        requests: n,
        non2xx,
        errors,
        latencies: latencies.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b),
        acceptedAt,
      });
    };
    // Latency runs from the moment the request is issued, including any wait for a free connection.
    const send = (i: number) => {
      const sent = performance.now();
      pool.request(requests[i]!).then(
        (status) => {
          const at = performance.now();
          latencies[i] = at - sent;
          if (ok(status)) acceptedAt.push([keys[i]!, performance.timeOrigin + at]);
          else non2xx++;
          finish();
        },
        () => {
          errors++;
          finish();
        },
      );
    };
    const tick = () => {
      const now = performance.now();
      while (next < n && t0 + next * interval <= now) send(next++);
      if (next < n) setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
}

process.on('message', (msg: LoadgenRequest) => {
  const reply = (r: LoadgenReply) => process.send?.(r);
  void (async () => {
    try {
      if (msg.cmd === 'build') reply(build(msg.spec));
      else if (msg.cmd === 'blast') reply(await blast(msg.url, msg.connections));
      else if (msg.cmd === 'paced') reply(await paced(msg.url, msg.rate, msg.connections));
      else process.exit(0);
    } catch (err) {
      reply({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
