/**
 * Fixed checkout scenarios for the funnel tests, sent through the real ingest paths: the tracker (/collect), the
 * Shopify pixel endpoint and the WooCommerce server endpoint. Times are offsets (seconds) from a base four hours
 * ago, so every session but the "live" one has ended (30 minutes idle) when the funnel is read.
 */
import { EventType, type CheckoutStep, type LoupeEvent } from '@loupe/contract';
import { makeBatch, newClientId } from '@loupe/contract/testing';
import type { Client } from '../helpers/accounts.ts';
import { ORIGIN, postBatch, type TestApi } from '../helpers/testRuntime.ts';

type Step = [seconds: number, step: CheckoutStep, token: string, value?: number, currency?: string];

export const MOBILE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

export interface SentScenarios {
  ids: Record<string, string>;
  tokens: Record<string, string>;
}

/** Sends one tracker session: a page view and its checkout steps, in one batch. */
async function trackerSession(
  api: TestApi,
  key: string,
  baseMs: number,
  steps: Step[],
  o: { sessionId?: string; visitorId?: string; ua?: string; referrer?: string } = {},
): Promise<string> {
  const sessionId = o.sessionId ?? newClientId();
  const pageViewId = newClientId();
  const events: LoupeEvent[] = [
    { type: EventType.PageView, time: baseMs - 5_000, pageViewId, url: 'https://shop.example.com/checkout', navigation: 'load' },
    ...steps.map(([sec, step, token, value, currency]): LoupeEvent => ({
      type: EventType.Checkout,
      time: baseMs + sec * 1000,
      step,
      token,
      ...(value !== undefined ? { value, currency } : {}),
    })),
  ];
  const batch = makeBatch({ projectKey: key, sessionId, visitorId: o.visitorId, pageViewId, clientTime: Date.now(), events, ua: o.ua });
  if (o.referrer) batch.referrer = o.referrer;
  const res = await postBatch(api, batch);
  if (res.status !== 200) throw new Error(`collect ${res.status}: ${await res.text()}`);
  return sessionId;
}

function pixelEvent(name: string, atMs: number, token: string, price?: [number, string]) {
  return {
    id: `evt-${token}-${name}`,
    name,
    timestamp: new Date(atMs).toISOString(),
    clientId: `client-${token}`,
    context: { document: { location: { href: `https://shop.example.com/checkouts/cn/${token}` } } },
    data: { checkout: { token, totalPrice: price ? { amount: price[0], currencyCode: price[1] } : null } },
  };
}

export async function postPixel(api: TestApi, body: unknown, origin = ORIGIN): Promise<Response> {
  return fetch(`${api.url}/collect/shopify`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin },
    body: JSON.stringify(body),
  });
}

/** Sends every scenario; returns the client session ids by scenario name and the tokens. */
export async function sendScenarios(api: TestApi, key: string, admin: Client, projectId: string): Promise<SentScenarios> {
  const base = Date.now() - 4 * 3600_000;
  const t = (name: string) => `${name}-${newClientId().slice(0, 6)}`;
  const tokens: Record<string, string> = {};
  for (const n of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7a', 'T7b', 'T8', 'T9', 'T10', 'T12', 'T13']) tokens[n] = t(n);
  const k = tokens;
  const ids: Record<string, string> = {};
  ids.S1 = await trackerSession(api, key, base, [[0, 'started', k.T1!], [10, 'contact', k.T1!], [70, 'shipping', k.T1!], [130, 'payment', k.T1!], [200, 'confirmed', k.T1!, 59.9, 'EUR']]);
  ids.S2 = await trackerSession(api, key, base, [[0, 'started', k.T2!]]);
  ids.S3 = await trackerSession(api, key, base, [[0, 'started', k.T3!], [40, 'shipping', k.T3!]]);
  ids.S4 = await trackerSession(api, key, base, [[0, 'started', k.T4!], [30, 'shipping', k.T4!], [90, 'payment', k.T4!]]);
  ids.S5 = await trackerSession(api, key, base, [
    [0, 'started', k.T5!], [20, 'shipping', k.T5!], [50, 'payment', k.T5!], [120, 'payment', k.T5!], [150, 'confirmed', k.T5!, 20, 'EUR'],
  ]);
  // S6: the tracker sees the store page; the checkout is seen by the Shopify pixel, out of order and duplicated.
  const v6 = newClientId();
  ids.S6 = await trackerSession(api, key, base - 60_000, [], { visitorId: v6 });
  const b6 = base + 600_000;
  const px = [
    pixelEvent('checkout_started', b6, k.T6!),
    pixelEvent('checkout_contact_info_submitted', b6 + 20_000, k.T6!),
    pixelEvent('checkout_shipping_info_submitted', b6 + 60_000, k.T6!),
    pixelEvent('payment_info_submitted', b6 + 80_000, k.T6!),
    pixelEvent('checkout_completed', b6 + 100_000, k.T6!, [100.5, 'USD']),
    pixelEvent('page_viewed', b6 + 100_500, k.T6!),
  ];
  const send6 = (events: unknown[]) => postPixel(api, { projectKey: key, visitorId: v6, sessionId: ids.S6, sentAt: Date.now(), events });
  for (const r of [await send6([px[4], px[3]]), await send6([px[2], px[0], px[1]]), await send6([px[4], px[5]])]) {
    if (r.status !== 200) throw new Error(`pixel ${r.status}: ${await r.text()}`);
  }
  ids.S7 = await trackerSession(api, key, base, [
    [0, 'started', k.T7a!], [30, 'shipping', k.T7a!],
    [100, 'started', k.T7b!], [120, 'shipping', k.T7b!], [150, 'payment', k.T7b!], [200, 'confirmed', k.T7b!, 10, 'EUR'],
  ]);
  // S8: one checkout across two sessions; the second session's steps come from the WooCommerce plugin's server side.
  const v8 = newClientId();
  ids.S8a = await trackerSession(api, key, base, [[0, 'started', k.T8!], [30, 'shipping', k.T8!]], { visitorId: v8 });
  ids.S8b = newClientId();
  const b8 = base + 2 * 3600_000;
  const woo = await admin.call('POST', `/api/projects/${projectId}/checkout-events`, {
    events: [
      { id: `order-8-created`, step: 'order_created', token: k.T8, occurredAt: new Date(b8).toISOString(), visitorId: v8, sessionId: ids.S8b },
      { id: `order-8-paid`, step: 'payment_complete', token: k.T8, value: 30, currency: 'EUR', occurredAt: new Date(b8 + 40_000).toISOString(), visitorId: v8, sessionId: ids.S8b },
    ],
  });
  if (woo.status !== 200) throw new Error(`woo ${woo.status}: ${JSON.stringify(woo.body)}`);
  ids.S9 = await trackerSession(api, key, base, [[0, 'started', k.T9!], [20, 'confirmed', k.T9!, 1500, 'JPY']]);
  ids.S10 = await trackerSession(api, key, base, [[0, 'started', k.T10!], [30, 'other', k.T10!]]);
  ids.S11 = await trackerSession(api, key, base, []);
  const live = Date.now() - 60_000;
  ids.S12 = await trackerSession(api, key, live, [[0, 'started', k.T12!], [30, 'shipping', k.T12!]]);
  ids.S13 = await trackerSession(api, key, base, [[0, 'started', k.T13!]], { ua: MOBILE_UA, referrer: 'https://www.instagram.com/' });
  return { ids, tokens };
}
