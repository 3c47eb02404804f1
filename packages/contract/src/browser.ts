/**
 * What the browser bundle may import: runtime constants and the wire encoder, plus types. No zod.
 */
export * from './eventTypes.ts';
export { toWire, eventToWire, EVENT_CODES, ENVELOPE_KEYS, EVENT_KEYS } from './wire.ts';
export type { WireBatch, WireEvent, WireEventOf, WirePageInfo } from './wire.ts';
export { normalizeIdentifyId, identifyHashInput, sha256HexFallback, sha256HexSubtle, hashIdentifyId } from './identify.ts';
export type { Batch, LoupeEvent, EventOf, ClickEvent } from './schema.ts';
