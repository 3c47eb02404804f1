/**
 * Builders of valid batches for tests and benchmarks (never shipped to browsers).
 */
import { randomBytes } from 'node:crypto';
import { CONTRACT_VERSION, EventType } from './eventTypes.ts';
import type { Batch, LoupeEvent } from './schema.ts';

/** mulberry32: a small seeded generator of numbers in [0, 1), so tests and benchmarks see the same data every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random client id as the tracker makes them. */
export const newClientId = (): string => randomBytes(16).toString('base64url');

export interface BatchOptions {
  projectKey: string;
  visitorId?: string;
  sessionId?: string;
  pageViewId?: string;
  seq?: number;
  clientTime?: number;
  url?: string;
  events?: LoupeEvent[];
  ua?: string;
}

export const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A batch with sensible defaults; events default to one page view. */
export function makeBatch(o: BatchOptions): Batch {
  const clientTime = o.clientTime ?? Date.now();
  const pageViewId = o.pageViewId ?? newClientId();
  const url = o.url ?? 'https://shop.example.com/products/red-shoe?utm_source=news&variant=2';
  return {
    version: CONTRACT_VERSION,
    projectKey: o.projectKey,
    visitorId: o.visitorId ?? newClientId(),
    sessionId: o.sessionId ?? newClientId(),
    pageViewId,
    seq: o.seq ?? 0,
    clientTime,
    url,
    referrer: 'https://www.google.com/',
    viewport: { width: 1280, height: 800 },
    screen: { width: 1920, height: 1080, pixelRatio: 1 },
    userAgent: { ua: o.ua ?? DESKTOP_CHROME_UA, mobile: false, platform: 'Windows' },
    events: o.events ?? [{ type: EventType.PageView, time: clientTime, pageViewId, url, navigation: 'load', title: 'Red shoe' }],
  };
}

/**
 * A realistic mixed batch of `n` events (about 20 in the benchmark): clicks, scrolls, a tag, sometimes an error
 * or a checkout step, starting with a page view when `seq` is 0.
 */
export function makeMixedEvents(n: number, clientTime: number, pageViewId: string, seq: number): LoupeEvent[] {
  const events: LoupeEvent[] = [];
  const url = `https://shop.example.com/products/item-${pageViewId.length % 7}`;
  if (seq === 0) events.push({ type: EventType.PageView, time: clientTime - n * 50, pageViewId, url, navigation: 'load' });
  for (let i = events.length; i < n; i++) {
    const time = clientTime - (n - i) * 50;
    const r = i % 10;
    if (r < 5) {
      events.push({
        type: EventType.Click, time, x: 100 + i, y: 200 + i, pageX: 100 + i, pageY: 900 + i,
        selector: `main > div.product:nth-of-type(${(i % 4) + 1}) > button.add-to-cart`, relX: 0.5, relY: 0.25,
        interactive: r !== 4,
      });
    } else if (r < 8) {
      events.push({ type: EventType.Scroll, time, y: i * 120, depth: Math.min(100, i * 5) });
    } else if (r === 8) {
      events.push({ type: EventType.Tag, time, key: 'plan', value: 'gold' });
    } else if (i % 20 === 9) {
      events.push({ type: EventType.Error, time, kind: 'error', message: 'TypeError: x is undefined', source: url, line: 10, column: 4 });
    } else {
      events.push({ type: EventType.Checkout, time, step: 'contact', token: `tok-${pageViewId}`, value: 19.99, currency: 'EUR' });
    }
  }
  return events;
}
