/**
 * Runtime constants of the event contract. Zod-free so the browser bundle can import them.
 */

/** Bumped when the wire format changes incompatibly; the api keeps decoding every older version it lists in `wire.ts`. */
export const CONTRACT_VERSION = 1;

/** Every kind of event a batch can carry. Values are the domain names; wire codes live in `wire.ts`. */
export const EventType = {
  PageView: 'pageView',
  Click: 'click',
  Scroll: 'scroll',
  Resize: 'resize',
  Visibility: 'visibility',
  Error: 'error',
  Tag: 'tag',
  Custom: 'custom',
  Identify: 'identify',
  Consent: 'consent',
  Checkout: 'checkout',
  Recording: 'recording',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** How a page view came about: a full load or an SPA navigation through the history API. */
export const NAVIGATION_KINDS = ['load', 'push', 'replace', 'pop', 'hash'] as const;
export type NavigationKind = (typeof NAVIGATION_KINDS)[number];

/** Checkout steps, in funnel order (`other` collects steps that fit none of the four, e.g. express checkouts). */
export const CHECKOUT_STEPS = ['started', 'contact', 'shipping', 'payment', 'other', 'confirmed'] as const;
export type CheckoutStep = (typeof CHECKOUT_STEPS)[number];

/** Where a checkout step was observed: the tracker API, the Shopify web pixel, or the WooCommerce plugin's server side. */
export const CHECKOUT_SOURCES = ['tracker', 'shopify', 'woocommerce'] as const;
export type CheckoutSource = (typeof CHECKOUT_SOURCES)[number];

export const ERROR_KINDS = ['error', 'rejection'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * Marks a compressed body that cannot carry `Content-Encoding` (`navigator.sendBeacon` cannot set headers):
 * append `?enc=gzip` (or `deflate`) to the `/collect` URL. The api also recognises a gzip body by its magic bytes.
 */
export const BODY_ENCODING_PARAM = 'enc';
export const BODY_ENCODINGS = ['gzip', 'deflate'] as const;
export type BodyEncoding = (typeof BODY_ENCODINGS)[number];

/** Limits the api enforces; the tracker stays under them. */
export const LIMITS = {
  /** Bytes on the wire (compressed or not); above it: 413. */
  maxBodyBytes: 256 * 1024,
  /** Bytes after decompression (zip-bomb guard); above it: 413. */
  maxInflatedBytes: 1024 * 1024,
  maxEventsPerBatch: 500,
  maxUrlLength: 4096,
  maxSelectorLength: 1024,
  maxMessageLength: 2048,
  maxStackLength: 16384,
  /** Custom tags per page; excess ignored by the tracker (the seed's baseline). */
  maxTagsPerPage: 128,
  maxTagLength: 255,
} as const;
