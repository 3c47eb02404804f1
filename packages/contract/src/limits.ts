/**
 * Limits of the event contract. Kept in a file of their own: esbuild inlines plain constants into the browser
 * bundle only from a module without a value and a type of the same name (as `EventType` in eventTypes.ts).
 */

/** The limits the tracker reads, as plain constants: an object's property would carry the whole object along. */
export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_URL_LENGTH = 4096;
export const MAX_SELECTOR_LENGTH = 1024;
export const MAX_MESSAGE_LENGTH = 2048;
export const MAX_STACK_LENGTH = 16384;
export const MAX_TAGS_PER_PAGE = 128;
export const MAX_TAG_LENGTH = 255;

/** Limits the api enforces; the tracker stays under them. */
export const LIMITS = {
  /** Bytes on the wire (compressed or not); above it: 413. */
  maxBodyBytes: 256 * 1024,
  /** Bytes after decompression (zip-bomb guard); above it: 413. */
  maxInflatedBytes: 1024 * 1024,
  maxEventsPerBatch: MAX_EVENTS_PER_BATCH,
  maxUrlLength: MAX_URL_LENGTH,
  maxSelectorLength: MAX_SELECTOR_LENGTH,
  maxMessageLength: MAX_MESSAGE_LENGTH,
  maxStackLength: MAX_STACK_LENGTH,
  /** Custom tags per page; excess ignored by the tracker (the seed's baseline). */
  maxTagsPerPage: MAX_TAGS_PER_PAGE,
  maxTagLength: MAX_TAG_LENGTH,
} as const;
