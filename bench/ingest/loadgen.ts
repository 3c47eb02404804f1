/**
 * The load generator, run as a child process (IPC) so it never shares an event loop with the api.
 *
 *   build  → encodes the batches (makeBatch + makeMixedEvents → toWire → JSON) before anything is timed
 *   blast  → closed loop at saturation: autocannon, N keep-alive connections, each request takes the next body
 *   paced  → open loop at a fixed rate (request i goes out at t0 + i/rate), node:http keep-alive agent; records
 *            each request's latency and the wall-clock time its 200 came back (for the accept → queryable lag)
 *
 * autocannon's own rate limit (`overallRate`) hands out a per-second budget that connections spend as fast as
 * they can, i.e. saturation bursts followed by silence, so it is not used for the paced run.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { DESKTOP_CHROME_UA } from '@loupe/contract/testing';
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
  timeouts: number;
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

async function blast(url: string, connections: number): Promise<BlastReply> {
  let next = 0;
  let startMs = 0;
  const instance = autocannon({
    url,
    connections: Math.min(connections, bodies.length),
    amount: bodies.length,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: '/collect',
        headers: HEADERS,
        setupRequest: (req: Record<string, unknown>) => {
          if (startMs === 0) startMs = nowMs();
          req.body = bodies[next++ % bodies.length];
          return req;
        },
      },
    ],
  });
  const result = await instance;
  const endMs = nowMs();
  return {
    kind: 'blast',
    startMs,
    endMs,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  };
}

function paced(url: string, rate: number, connections: number): Promise<PacedReply> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const n = bodies.length;
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
      agent.destroy();
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
    const send = (i: number) => {
      const body = bodies[i]!;
      const sent = performance.now();
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: '/collect',
          headers: { ...HEADERS, 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const at = performance.now();
            latencies[i] = at - sent;
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) {
              acceptedAt.push([keys[i]!, performance.timeOrigin + at]);
            } else non2xx++;
            finish();
          });
        },
      );
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end(body);
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
