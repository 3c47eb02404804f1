import type { z } from 'zod';
import { batchSchema, type Batch } from './schema.ts';
import { fromWire } from './wire.ts';

export type ParseResult = { ok: true; batch: Batch } | { ok: false; error: string; path: string };

/** Formats a zod issue path as `events[3].selector`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(body)';
}

/** Decodes and validates a wire batch; on failure names the first offending field. */
export function parseBatch(wire: unknown): ParseResult {
  const result = batchSchema.safeParse(fromWire(wire));
  if (result.success) return { ok: true, batch: result.data };
  const issue: z.core.$ZodIssue | undefined = result.error.issues[0];
  const path = formatPath(issue?.path ?? []);
  return { ok: false, path, error: `${path}: ${issue?.message ?? 'invalid'}` };
}
