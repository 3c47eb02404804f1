/**
 * Script errors from `error` and `unhandledrejection`: messages, sources and stacks scrubbed by the masking mode,
 * at most MAX_PER_MESSAGE of one message per page (a loop throwing every frame must not flood the api).
 */
import { MAX_MESSAGE_LENGTH, MAX_STACK_LENGTH } from '@loupe/contract/browser';
import { clipUrl } from '../pageInfo.ts';
import { listen, type CaptureContext } from './context.ts';

export const MAX_PER_MESSAGE = 5;
const MAX_PER_PAGE = 50;

export function captureErrors(ctx: CaptureContext): { reset_(): void } {
  let counts = new Map<string, number>();
  let total = 0;

  function report(kind: 'error' | 'rejection', rawMessage: string, stack: unknown, e?: ErrorEvent): void {
    const message = ctx.scrub_(rawMessage).slice(0, MAX_MESSAGE_LENGTH);
    const n = counts.get(message) ?? 0;
    if (n >= MAX_PER_MESSAGE || total >= MAX_PER_PAGE) return;
    counts.set(message, n + 1);
    total++;
    ctx.push({
      t: 'er',
      ts: Date.now(),
      k: kind,
      m: message,
      st: typeof stack === 'string' ? ctx.scrub_(stack).slice(0, MAX_STACK_LENGTH) : undefined,
      src: e && e.filename ? clipUrl(ctx.scrubUrl_(e.filename)) : undefined,
      l: e && e.lineno >= 0 ? Math.floor(e.lineno) : undefined,
      c: e && e.colno >= 0 ? Math.floor(e.colno) : undefined,
    });
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
    reset_() {
      counts = new Map();
      total = 0;
    },
  };
}
