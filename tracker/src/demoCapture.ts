/**
 * What the demo store records: page view, clicks, scroll depth, script errors, and the `loupe(...)` calls the
 * page makes (checkout steps, custom events, tags). The full tracker adds SPA navigation, consent and recording.
 */
import { CHECKOUT_STEPS, EventType, LIMITS, type CheckoutStep, type LoupeEvent } from '@loupe/contract/browser';
import { guard } from './guard.ts';
import { clipUrl } from './pageInfo.ts';
import { isInteractive, selectorPath } from './selector.ts';
import type { Transport } from './transport.ts';

/** `window.loupe` before the tracker loads: the install snippet queues its arguments in `q`. */
type LoupeFn = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] };

/** A loop that throws on every frame must not flood the api. */
const MAX_ERRORS_PER_PAGE = 50;

const clip = (s: string, max: number): string => s.slice(0, max);
const clamp01 = (n: number): number => (n > 0 ? (n < 1 ? n : 1) : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? clip(v, LIMITS.maxTagLength) : undefined);
const nonNegInt = (n: number | undefined): number | undefined => (n !== undefined && n >= 0 ? Math.floor(n) : undefined);

function checkoutEvent(step: unknown, detail: unknown): LoupeEvent | null {
  if (!CHECKOUT_STEPS.includes(step as CheckoutStep)) return null;
  const d = (typeof detail === 'object' && detail !== null ? detail : {}) as Record<string, unknown>;
  const value = typeof d.value === 'string' ? Number(d.value) : d.value;
  const currency = typeof d.currency === 'string' ? d.currency.toUpperCase() : '';
  return {
    type: EventType.Checkout,
    time: Date.now(),
    step: step as CheckoutStep,
    token: str(d.token),
    value: typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined,
    currency: /^[A-Z]{3}$/.test(currency) ? currency : undefined,
  };
}

/** Starts capturing on the current page through `t`; call once, after the transport exists. */
export function startCapture(t: Transport): void {
  let errors = 0;
  let tags = 0;
  let maxDepth = 0;
  let scrollTimer: ReturnType<typeof setTimeout> | undefined;

  const push = (event: LoupeEvent | null): void => {
    if (event) t.push(event);
  };

  function commands(args: ArrayLike<unknown>): void {
    const [name, a, b] = Array.from(args);
    const time = Date.now();
    const label = str(a);
    if (name === 'checkout') push(checkoutEvent(a, b));
    else if (name === 'event' && label) push({ type: EventType.Custom, time, name: label });
    else if (name === 'set' && label && tags < LIMITS.maxTagsPerPage) {
      const value = Array.isArray(b)
        ? b.slice(0, LIMITS.maxTagsPerPage).map((v) => clip(String(v), LIMITS.maxTagLength))
        : str(String(b ?? ''));
      if (value !== undefined) {
        tags++;
        push({ type: EventType.Tag, time, key: label, value });
      }
    }
  }

  function onClick(e: MouseEvent): void {
    const el = e.target instanceof Element ? e.target : null;
    if (!el) return;
    const box = el.getBoundingClientRect();
    const link = el.closest('a[href]');
    push({
      type: EventType.Click,
      time: Date.now(),
      x: e.clientX,
      y: e.clientY,
      pageX: e.pageX,
      pageY: e.pageY,
      selector: selectorPath(el),
      relX: box.width > 0 ? clamp01((e.clientX - box.left) / box.width) : 0.5,
      relY: box.height > 0 ? clamp01((e.clientY - box.top) / box.height) : 0.5,
      interactive: isInteractive(el),
      href: link instanceof HTMLAnchorElement ? clipUrl(link.href) : undefined,
    });
  }

  function measureScroll(): void {
    const doc = document.documentElement;
    const height = Math.max(doc.scrollHeight, document.body?.scrollHeight ?? 0);
    const depth = height > 0 ? Math.min(100, ((window.scrollY + window.innerHeight) / height) * 100) : 100;
    if (depth < maxDepth + 1 && maxDepth > 0) return;
    maxDepth = Math.max(maxDepth, Math.round(depth));
    push({ type: EventType.Scroll, time: Date.now(), y: Math.max(0, window.scrollY), depth: maxDepth });
  }

  function onError(e: ErrorEvent): void {
    if (++errors > MAX_ERRORS_PER_PAGE) return;
    const stack: unknown = (e.error as { stack?: unknown } | null)?.stack;
    push({
      type: EventType.Error,
      time: Date.now(),
      kind: 'error',
      message: clip(e.message || 'Script error', LIMITS.maxMessageLength),
      source: e.filename ? clipUrl(e.filename) : undefined,
      line: nonNegInt(e.lineno),
      column: nonNegInt(e.colno),
      stack: typeof stack === 'string' ? clip(stack, LIMITS.maxStackLength) : undefined,
    });
  }

  function onRejection(e: PromiseRejectionEvent): void {
    if (++errors > MAX_ERRORS_PER_PAGE) return;
    const reason: unknown = e.reason;
    const r = (typeof reason === 'object' && reason !== null ? reason : {}) as { message?: unknown; stack?: unknown };
    const message = typeof r.message === 'string' ? r.message : String(reason);
    push({
      type: EventType.Error,
      time: Date.now(),
      kind: 'rejection',
      message: clip(message || 'Unhandled rejection', LIMITS.maxMessageLength),
      stack: typeof r.stack === 'string' ? clip(r.stack, LIMITS.maxStackLength) : undefined,
    });
  }

  // Listeners must never throw into the page: each is wrapped.
  const safe = <E>(fn: (e: E) => void): ((e: E) => void) => guard(fn, undefined);

  t.pageView('load', document.title);
  measureScroll();
  document.addEventListener('click', safe(onClick), { capture: true, passive: true });
  window.addEventListener('error', safe(onError));
  window.addEventListener('unhandledrejection', safe(onRejection));
  window.addEventListener(
    'scroll',
    safe(() => {
      clearTimeout(scrollTimer);
      scrollTimer = setTimeout(safe(measureScroll), 300);
    }),
    { passive: true },
  );

  const run = safe(commands);
  const w = window as Window & { loupe?: LoupeFn };
  const queued = Array.from(w.loupe?.q ?? []);
  w.loupe = (...args: unknown[]) => run(args);
  queued.forEach(run);
}
