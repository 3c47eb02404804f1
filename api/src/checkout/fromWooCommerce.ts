/**
 * WooCommerce server-side checkout events (sent by our WordPress plugin with a project API token) → Loupe batches.
 * The one place WooCommerce's order lifecycle is mapped. Browser-side Woo steps arrive through the tracker's
 * `loupe('checkout', …)`; these are the ones only the server sees.
 */
import { CHECKOUT_STEPS, CONTRACT_VERSION, EventType, clientIdSchema, type Batch, type CheckoutStep } from '@loupe/contract';
import { z } from 'zod';
import { derivedId } from './derivedId.ts';

/**
 * `order_created` is "Place order" pressed (the shopper is still at Payment until it is paid, as with Shopify's
 * "Complete order"); `payment_complete` confirms the purchase. Our own step names are accepted as they are.
 */
export const WOO_SERVER_STEPS: Readonly<Record<string, CheckoutStep>> = {
  order_created: 'payment',
  payment_complete: 'confirmed',
  ...Object.fromEntries(CHECKOUT_STEPS.map((s) => [s, s])),
};

const serverEventSchema = z.object({
  /** Idempotency key (e.g. `order-123-payment_complete`): sending it again stores nothing new. */
  id: z.string().min(1).max(200),
  step: z.string().refine((s) => s in WOO_SERVER_STEPS, `expected one of ${Object.keys(WOO_SERVER_STEPS).join(', ')}`),
  /** The checkout token the browser-side steps carried (the plugin uses the order key). */
  token: z.string().min(1).max(255),
  value: z.number().finite().min(0).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code').optional(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The tracker's ids, read by the plugin from our first-party cookies during the shopper's request. */
  visitorId: clientIdSchema,
  sessionId: clientIdSchema,
  url: z.string().max(4096).optional(),
});

export const wooServerBody = z.object({ events: z.array(serverEventSchema).min(1).max(100) });
export type WooServerBody = z.infer<typeof wooServerBody>;

export function batchesFromWooCommerce(body: WooServerBody, projectKey: string, nowMs: number): Batch[] {
  return body.events.map((e) => ({
    version: CONTRACT_VERSION,
    projectKey,
    visitorId: e.visitorId,
    sessionId: e.sessionId,
    pageViewId: derivedId('wc', e.id),
    seq: 0,
    // Server clocks are trusted: the event keeps its own time (the worker clamps it to the receipt time).
    clientTime: nowMs,
    url: e.url ?? '',
    viewport: { width: 0, height: 0 },
    screen: { width: 0, height: 0 },
    userAgent: {},
    events: [
      {
        type: EventType.Checkout,
        time: Date.parse(e.occurredAt),
        step: WOO_SERVER_STEPS[e.step]!,
        source: 'woocommerce',
        token: e.token,
        ...(e.value !== undefined && e.currency ? { value: e.value, currency: e.currency } : {}),
      },
    ],
  }));
}
