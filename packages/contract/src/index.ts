export * from './eventTypes.ts';
export * from './schema.ts';
export * from './wire.ts';
export * from './settings.ts';
export * from './identify.ts';
export { parseBatch, type ParseResult } from './parseBatch.ts';
