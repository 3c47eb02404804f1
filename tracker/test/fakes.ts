/**
 * Test doubles for the transport: a fetch that records bodies and answers from a script, a clock, timers and
 * page info, so the delivery rules run in Node without a browser.
 */
import { parseBatch, type Batch } from '@loupe/contract';
import { createTransport, type SendResult, type Transport, type TransportOptions } from '../src/transport.ts';
import { memoryStore, type KeyValue } from '../src/storage.ts';

export interface Sent {
  via: 'fetch' | 'beacon';
  init?: RequestInit;
  batch: Batch;
  bytes: number;
}

/** Decodes and validates a body exactly as the api does. */
export function decode(body: string): Batch {
  const parsed = parseBatch(JSON.parse(body));
  if (!parsed.ok) throw new Error(`invalid batch: ${parsed.error}`);
  return parsed.batch;
}

export const response = (status: number, headers: Record<string, string> = {}): SendResult => ({
  status,
  headers: { get: (name) => headers[name] ?? headers[name.toLowerCase()] ?? null },
});

export interface Harness {
  t: Transport;
  sent: Sent[];
  /** Answers for the next fetches, in order; 200 when empty. */
  answers: (SendResult | Error)[];
  clock: { now: number };
  timers: { fn: () => void; at: number }[];
  beaconOk: boolean;
  sessions: KeyValue;
  visitors: KeyValue;
  /** Advances the clock and runs timers that are due. */
  advance(ms: number): Promise<void>;
}

export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

export function harness(opts: Partial<TransportOptions> = {}, stores: { sessions?: KeyValue; visitors?: KeyValue } = {}): Harness {
  const h = {
    sent: [] as Sent[],
    answers: [] as (SendResult | Error)[],
    clock: { now: Date.UTC(2025, 0, 1, 10) },
    timers: [] as { fn: () => void; at: number }[],
    beaconOk: true,
    sessions: stores.sessions ?? memoryStore(),
    visitors: stores.visitors ?? memoryStore(),
  } as Harness;
  h.t = createTransport({
    endpoint: 'https://loupe.example.com/collect',
    projectKey: 'pk_test_1234567890',
    now: () => h.clock.now,
    fetch: async (_url, init) => {
      h.sent.push({ via: 'fetch', init, batch: decode(String(init.body)), bytes: Buffer.byteLength(String(init.body)) });
      const answer = h.answers.shift() ?? response(200);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    sendBeacon: (_url, body) => {
      if (h.beaconOk) h.sent.push({ via: 'beacon', batch: decode(body), bytes: Buffer.byteLength(body) });
      return h.beaconOk;
    },
    sessionStore: h.sessions,
    visitorStore: h.visitors,
    pageInfo: () => ({
      u: 'https://shop.example.com/products/mug',
      r: 'https://www.google.com/',
      vp: { w: 1280, h: 800 },
      sc: { w: 1920, h: 1080, d: 2 },
      ua: { s: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' },
    }),
    setTimer: (fn, ms) => {
      const timer = { fn, at: h.clock.now + ms };
      h.timers.push(timer);
      return () => {
        const i = h.timers.indexOf(timer);
        if (i >= 0) h.timers.splice(i, 1);
      };
    },
    onHide: () => {},
    ...opts,
  });
  h.advance = async (ms) => {
    h.clock.now += ms;
    for (const timer of h.timers.filter((x) => x.at <= h.clock.now)) {
      h.timers.splice(h.timers.indexOf(timer), 1);
      timer.fn();
    }
    await settle();
  };
  return h;
}
