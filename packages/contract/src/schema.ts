/**
 * Zod schemas of the event contract, in its domain (long-key) form. The api decodes the wire form with
 * `fromWire` and validates the result here, so error paths name fields by their readable names.
 * The tracker imports only types from this file (`import type`), never zod at run time.
 */
import { z } from 'zod';
import { CHECKOUT_SOURCES, CHECKOUT_STEPS, CLICK_REACTIONS, CONTRACT_VERSION, ERROR_KINDS, EventType, LIMITS, NAVIGATION_KINDS } from './eventTypes.ts';

/** Client-generated ids: UUIDs or url-safe random strings. */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8-64 characters of A-Z a-z 0-9 _ -');

const url = z.string().max(LIMITS.maxUrlLength);
const px = z.number().finite();
const size = z.number().int().min(0).max(100_000);
/** Counts and positions stored as 32-bit integers. */
const int32 = z.number().int().min(0).max(2_147_483_647);
/** Client clock in ms since the epoch; the api corrects skew against the envelope's `clientTime`. */
const epochMs = z.number().int().min(0).max(8.64e15);
const shortText = z.string().max(LIMITS.maxTagLength);

const base = { time: epochMs };

export const pageViewEventSchema = z.object({
  type: z.literal(EventType.PageView),
  ...base,
  /** The page view this event starts; later batches of the page carry it in the envelope. */
  pageViewId: clientIdSchema,
  url,
  referrer: url.optional(),
  title: z.string().max(1024).optional(),
  navigation: z.enum(NAVIGATION_KINDS),
});

export const clickEventSchema = z.object({
  type: z.literal(EventType.Click),
  ...base,
  /** Viewport coordinates. */
  x: px,
  y: px,
  /** Document coordinates (viewport + scroll offset). */
  pageX: px,
  pageY: px,
  /** Stable CSS selector path of the target. */
  selector: z.string().min(1).max(LIMITS.maxSelectorLength),
  /** Position inside the target's box, 0..1 from its left/top edge (heatmaps survive layout changes). */
  relX: z.number().min(0).max(1),
  relY: z.number().min(0).max(1),
  /** Whether the target (or an ancestor) is interactive: link, button, input, label, [role=button], handler. */
  interactive: z.boolean(),
  href: url.optional(),
  /** What followed within REACTION_WINDOW_MS; `none` marks a dead click. Absent from older trackers. */
  reaction: z.enum(CLICK_REACTIONS).optional(),
});

export const scrollEventSchema = z.object({
  type: z.literal(EventType.Scroll),
  ...base,
  /** Vertical scroll offset in px. */
  y: px,
  /** Deepest point seen so far, percent of the document height (0..100). */
  depth: z.number().min(0).max(100),
});

export const resizeEventSchema = z.object({
  type: z.literal(EventType.Resize),
  ...base,
  width: size,
  height: size,
});

export const visibilityEventSchema = z.object({
  type: z.literal(EventType.Visibility),
  ...base,
  visible: z.boolean(),
  /** On hide: ms of this page view spent visible with recent input (5 s after each input count). */
  activeMs: int32.optional(),
});

export const errorEventSchema = z.object({
  type: z.literal(EventType.Error),
  ...base,
  kind: z.enum(ERROR_KINDS),
  message: z.string().max(LIMITS.maxMessageLength),
  source: url.optional(),
  line: int32.optional(),
  column: int32.optional(),
  stack: z.string().max(LIMITS.maxStackLength).optional(),
});

export const tagEventSchema = z.object({
  type: z.literal(EventType.Tag),
  ...base,
  key: shortText.min(1),
  /** One value or several (`loupe('set', key, [a, b])`). */
  value: z.union([shortText, z.array(shortText).max(LIMITS.maxTagsPerPage)]),
});

export const customEventSchema = z.object({
  type: z.literal(EventType.Custom),
  ...base,
  name: shortText.min(1),
});

export const identifyEventSchema = z.object({
  type: z.literal(EventType.Identify),
  ...base,
  /** SHA-256 (hex) of the normalised id with the project's salt; the raw id never leaves the browser. */
  idHash: z.string().regex(/^[0-9a-f]{64}$/, 'expected a hex SHA-256'),
});

export const consentEventSchema = z.object({
  type: z.literal(EventType.Consent),
  ...base,
  granted: z.boolean(),
});

export const checkoutEventSchema = z.object({
  type: z.literal(EventType.Checkout),
  ...base,
  step: z.enum(CHECKOUT_STEPS),
  /** Identifies one checkout across steps, sessions and sources. */
  token: z.string().min(1).max(255).optional(),
  /** Order value in major units as sent by the page; converted once, at ingest, to integer minor units. */
  value: z.number().finite().min(0).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code').optional(),
  /** Set by the api's platform adapters; absent (= `tracker`) from browsers. */
  source: z.enum(CHECKOUT_SOURCES).optional(),
});

export const recordingEventSchema = z.object({
  type: z.literal(EventType.Recording),
  ...base,
  /** Sequence number of the uploaded chunk within the session. */
  chunk: int32,
  bytes: int32,
});

export const eventSchema = z.discriminatedUnion('type', [
  pageViewEventSchema,
  clickEventSchema,
  scrollEventSchema,
  resizeEventSchema,
  visibilityEventSchema,
  errorEventSchema,
  tagEventSchema,
  customEventSchema,
  identifyEventSchema,
  consentEventSchema,
  checkoutEventSchema,
  recordingEventSchema,
]);

export const batchSchema = z.object({
  /** Contract version the tracker spoke; `fromWire` upgrades older ones before validation. */
  version: z.literal(CONTRACT_VERSION),
  /** The project's public ingest key. */
  projectKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected a project key'),
  visitorId: clientIdSchema,
  sessionId: clientIdSchema,
  pageViewId: clientIdSchema,
  /** Per page view, from 0; (sessionId, pageViewId, seq) identifies a batch, so resends are stored once. */
  seq: z.number().int().min(0).max(1_000_000),
  /** Client clock when the batch was sent, ms since the epoch. */
  clientTime: epochMs,
  url,
  referrer: url.optional(),
  viewport: z.object({ width: size, height: size }),
  screen: z.object({ width: size, height: size, pixelRatio: z.number().positive().max(16).optional() }),
  userAgent: z.object({
    /** `navigator.userAgent`; the api parses it (the request header is a fallback). */
    ua: z.string().max(1024).optional(),
    mobile: z.boolean().optional(),
    platform: z.string().max(64).optional(),
    brands: z.array(z.object({ brand: z.string().max(128), version: z.string().max(64) })).max(16).optional(),
  }),
  events: z.array(eventSchema).max(LIMITS.maxEventsPerBatch),
});

export type Batch = z.infer<typeof batchSchema>;
export type LoupeEvent = z.infer<typeof eventSchema>;
/** The event of a given type, e.g. `EventOf<'click'>`. */
export type EventOf<T extends LoupeEvent['type']> = Extract<LoupeEvent, { type: T }>;
export type CheckoutEvent = z.infer<typeof checkoutEventSchema>;
export type ClickEvent = z.infer<typeof clickEventSchema>;
