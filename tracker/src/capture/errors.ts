/**
 * Script errors from `error` and `unhandledrejection`: messages, sources and stacks scrubbed by the masking mode,
 * at most MAX_PER_MESSAGE of one message per page (a loop throwing every frame must not flood the api).
 */
import { LIMITS, type EventOf } from '@loupe/contract/browser';
import { clipUrl } from '../pageInfo.ts';
import { listen, type CaptureContext } from './context.ts';

export const MAX_PER_MESSAGE = 5;
const MAX_PER_PAGE = 50;

export function captureErrors(ctx: CaptureContext): { reset(): void } {
  let counts = new Map<string, number>();
  let total = 0;

  function report(kind: 'error' | 'rejection', rawMessage: string, stack: unknown, e?: ErrorEvent): void {
    const message = ctx.scrub(rawMessage).slice(0, LIMITS.maxMessageLength);
    const n = counts.get(message) ?? 0;
    if (n >= MAX_PER_MESSAGE || total >= MAX_PER_PAGE) return;
    counts.set(message, n + 1);
    total++;
    const event: EventOf<'error'> = { type: 'error', time: Date.now(), kind, message };
    if (typeof stack === 'string') event.stack = ctx.scrub(stack).slice(0, LIMITS.maxStackLength);
    if (e && e.filename) event.source = clipUrl(ctx.scrubUrl(e.filename));
    if (e && e.lineno >= 0) event.line = Math.floor(e.lineno);
    if (e && e.colno >= 0) event.column = Math.floor(e.colno);
    ctx.push(event);
  }

  listen(window, 'error', (ev) => {
    const e = ev as ErrorEvent;
    // Resource load errors (img, script) reach window listeners only in capture; this one sees script errors.
    if (!(ev instanceof ErrorEvent)) return;
    const err = e.error as { stack?: unknown } | null;
    report('error', e.message || 'Script error', err && err.stack, e);
  });
  listen(window, 'unhandledrejection', (ev) => {
    const reason: unknown = (ev as PromiseRejectionEvent).reason;
    const r = (typeof reason === 'object' && reason !== null ? reason : {}) as { message?: unknown; stack?: unknown };
    report('rejection', typeof r.message === 'string' ? r.message : String(reason) || 'Unhandled rejection', r.stack);
  });
  return {
    reset() {
      counts = new Map();
      total = 0;
    },
  };
}
