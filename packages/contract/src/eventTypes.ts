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

/**
 * What followed a click within `REACTION_WINDOW_MS`, checked in this order: a navigation (page view or unload), a DOM
 * mutation, a scroll, a focus change, or `none` (a dead click when the target looked clickable or not).
 */
export const CLICK_REACTIONS = ['navigation', 'mutation', 'scroll', 'focus', 'none'] as const;
export type ClickReaction = (typeof CLICK_REACTIONS)[number];
/** How long after a click the tracker watches for a reaction. */
export const REACTION_WINDOW_MS = 1000;

/** Project masking modes (see docs/tracker.md for what each hides). */
export const MASKING_MODES = ['strict', 'balanced', 'relaxed'] as const;
export type MaskingMode = (typeof MASKING_MODES)[number];

/**
 * The settings the tracker needs before its first request, inlined by the api into `/t/<ingestKey>.js`, so nothing
 * is ever sent under the wrong rules while settings load.
 */
export interface TrackerConfig {
  /** The project's public ingest key. */
  key: string;
  /** Absolute URL of `/collect`. */
  collect: string;
  /** Absolute URL of `/record` (chunk uploads; `/record/start` asks whether this session is recorded). */
  record: string;
  /** Content-hashed URL of the recorder bundle. */
  recorder: string;
  /** Content-hashed URL of the pure-JS SHA-256, loaded only where `crypto.subtle` is missing. */
  sha256: string;
  consentRequired: boolean;
  /** Honour Do-Not-Track and Global Privacy Control. */
  honorDnt: boolean;
  masking: MaskingMode;
  recording: boolean;
  /** Share of sessions recorded, 0..1. */
  sampleRate: number;
  /** Per-project salt of identify hashes. */
  salt: string;
  /** Parent domain for the visitor cookie (e.g. `example.com` for shop. and blog.), or empty for the host only. */
  cookieDomain: string;
}

export const ERROR_KINDS = ['error', 'rejection'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * Marks a compressed body that cannot carry `Content-Encoding` (`navigator.sendBeacon` cannot set headers):
 * append `?enc=gzip` (or `deflate`) to the `/collect` URL. The api also recognises a gzip body by its magic bytes.
 */
export const BODY_ENCODING_PARAM = 'enc';
export const BODY_ENCODINGS = ['gzip', 'deflate'] as const;
export type BodyEncoding = (typeof BODY_ENCODINGS)[number];

export * from './limits.ts';
