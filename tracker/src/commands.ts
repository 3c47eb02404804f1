/**
 * The page's `loupe(...)` calls (except `consent`, which the core handles before anything is sent):
 * `set`, `event`, `identify`, `checkout`, `upgrade`. Invalid calls are ignored silently.
 */
import { CHECKOUT_STEPS, LIMITS, identifyHashInput, sha256HexSubtle, type CheckoutStep, type LoupeEvent } from '@loupe/contract/browser';
import { loadScript } from './loadScript.ts';

export interface CommandTarget {
  push(event: LoupeEvent): void;
  salt: string;
  /** URL of the SHA-256 fallback bundle, for pages without `crypto.subtle` (plain http). */
  sha256Url: string;
  /** `loupe('upgrade')`: record this session regardless of sampling. */
  upgrade(): void;
}

/** Where the SHA-256 fallback bundle (`src/sha256Fallback.ts`) publishes its function. */
export const SHA256_GLOBAL = '__loupeSha256';
type FallbackWindow = Window & { [SHA256_GLOBAL]?: (text: string) => string };

const clip = (v: unknown): string => String(v).slice(0, LIMITS.maxTagLength);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? clip(v) : undefined);

function checkout(step: unknown, detail: unknown): LoupeEvent | null {
  if (CHECKOUT_STEPS.indexOf(step as CheckoutStep) < 0) return null;
  const d = (typeof detail === 'object' && detail !== null ? detail : {}) as Record<string, unknown>;
  const value = typeof d.value === 'string' ? Number(d.value) : d.value;
  const currency = typeof d.currency === 'string' ? d.currency.toUpperCase() : '';
  return {
    type: 'checkout',
    time: Date.now(),
    step: step as CheckoutStep,
    token: text(d.token),
    value: typeof value === 'number' && isFinite(value) && value >= 0 ? value : undefined,
    currency: /^[A-Z]{3}$/.test(currency) ? currency : undefined,
  };
}

/** A command runner with its per-page tag budget; `reset()` on each page view. */
export function commandRunner(t: CommandTarget): { run(args: ArrayLike<unknown>): void; reset(): void } {
  let tags = 0;
  return {
    reset: () => void (tags = 0),
    run(args) {
      const name = args[0];
      const a = args[1];
      const b = args[2];
      const time = Date.now();
      if (name === 'checkout') {
        const e = checkout(a, b);
        if (e) t.push(e);
      } else if (name === 'event') {
        const label = text(a);
        if (label) t.push({ type: 'custom', time, name: label });
      } else if (name === 'set') {
        const key = text(a);
        const value = Array.isArray(b) ? b.slice(0, LIMITS.maxTagsPerPage).map(clip) : b === undefined || b === null ? '' : clip(b);
        // Excess tags of a page are ignored, not queued for later.
        if (key && tags < LIMITS.maxTagsPerPage) {
          tags++;
          t.push({ type: 'tag', time, key, value });
        }
      } else if (name === 'identify') {
        if (typeof a !== 'string' || !a.trim()) return;
        const input = identifyHashInput(t.salt, a);
        sha256HexSubtle(input, typeof crypto !== 'undefined' ? crypto.subtle : null)
          .then((hash) => hash || loadScript(t.sha256Url).then(() => (window as FallbackWindow)[SHA256_GLOBAL]?.(input)))
          .then((idHash) => {
            if (idHash) t.push({ type: 'identify', time, idHash });
          })
          .catch(() => undefined);
      } else if (name === 'upgrade') t.upgrade();
    },
  };
}
