/**
 * Shopify web-pixel checkout events → Loupe batches. The one place Shopify's event names and payload shape are
 * known. Each pixel event becomes its own batch whose page-view id is derived from the event id, so duplicated and
 * re-sent events are stored once by the inbox's unique key, in whatever order they arrive.
 */
import { CONTRACT_VERSION, EventType, clientIdSchema, type Batch, type CheckoutStep } from '@loupe/contract';
import { z } from 'zod';
import { derivedId } from './derivedId.ts';

/**
 * Pixel events → the step the shopper has now reached. Submitting contact info (or the address) moves them to
 * Shipping method; submitting shipping moves them to Payment; `payment_info_submitted` is "Complete order" pressed,
 * which stays Payment until `checkout_completed` (a session that ends in between abandoned at Payment).
 */
export const SHOPIFY_PIXEL_STEPS: Readonly<Record<string, CheckoutStep>> = {
  checkout_started: 'started',
  checkout_contact_info_submitted: 'shipping',
  checkout_address_info_submitted: 'shipping',
  checkout_shipping_info_submitted: 'payment',
  payment_info_submitted: 'payment',
  checkout_completed: 'confirmed',
};

const money = z.object({ amount: z.number().finite().min(0), currencyCode: z.string().regex(/^[A-Z]{3}$/) });

const pixelEventSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(100),
  timestamp: z.iso.datetime({ offset: true }),
  clientId: z.string().min(1).max(200).optional(),
  context: z
    .object({
      document: z.object({ location: z.object({ href: z.string().max(4096) }).partial(), referrer: z.string().max(4096) }).partial(),
      navigator: z.object({ userAgent: z.string().max(1024) }).partial(),
      window: z
        .object({
          innerWidth: z.number().int().min(0).max(100_000),
          innerHeight: z.number().int().min(0).max(100_000),
          screen: z.object({ width: z.number().int().min(0).max(100_000), height: z.number().int().min(0).max(100_000) }).partial(),
        })
        .partial(),
    })
    .partial()
    .optional(),
  data: z
    .object({
      checkout: z
        .object({ token: z.string().min(1).max(255).nullish(), totalPrice: money.nullish() })
        .loose()
        .nullish(),
    })
    .loose()
    .optional(),
});

/** What our web-pixel extension posts to `/collect/shopify`. */
export const shopifyPixelBody = z.object({
  projectKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected a project key'),
  /** The tracker's visitor and session ids, read by the pixel from our first-party cookies when the tracker runs. */
  visitorId: clientIdSchema.optional(),
  sessionId: clientIdSchema.optional(),
  /** The pixel's clock when it sent this request (ms), to correct event times like the tracker's `clientTime`. */
  sentAt: z.number().int().positive(),
  events: z.array(pixelEventSchema).min(1).max(50),
});
export type ShopifyPixelBody = z.infer<typeof shopifyPixelBody>;

/** The batches to store (events that are not checkout steps are skipped). */
export function batchesFromShopifyPixel(body: ShopifyPixelBody): Batch[] {
  const out: Batch[] = [];
  for (const e of body.events) {
    const step = SHOPIFY_PIXEL_STEPS[e.name];
    if (!step) continue;
    // Without the tracker's cookies the pixel's own client id stands for the buyer; sessionizing splits it by idle time.
    const buyer = e.clientId ?? e.id;
    const visitorId = body.visitorId ?? derivedId('sv', buyer);
    const sessionId = body.sessionId ?? derivedId('ss', buyer);
    const checkout = e.data?.checkout;
    const price = checkout?.totalPrice ?? undefined;
    const win = e.context?.window;
    out.push({
      version: CONTRACT_VERSION,
      projectKey: body.projectKey,
      visitorId,
      sessionId,
      pageViewId: derivedId('px', e.id),
      seq: 0,
      clientTime: body.sentAt,
      url: e.context?.document?.location?.href ?? '',
      referrer: e.context?.document?.referrer || undefined,
      viewport: { width: win?.innerWidth ?? 0, height: win?.innerHeight ?? 0 },
      screen: { width: win?.screen?.width ?? 0, height: win?.screen?.height ?? 0 },
      userAgent: { ua: e.context?.navigator?.userAgent },
      events: [
        {
          type: EventType.Checkout,
          time: Date.parse(e.timestamp),
          step,
          source: 'shopify',
          ...(checkout?.token ? { token: checkout.token } : {}),
          ...(price ? { value: price.amount, currency: price.currencyCode } : {}),
        },
      ],
    });
  }
  return out;
}
