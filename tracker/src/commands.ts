/**
 * The page's `loupe(...)` calls (except `consent`, which the core handles before anything is sent):
 * `set`, `event`, `identify`, `checkout`, `upgrade`. Invalid calls are ignored silently.
 */
import { CHECKOUT_STEPS, MAX_TAG_LENGTH, MAX_TAGS_PER_PAGE, identifyHashInput, sha256HexSubtle, type CheckoutStep, type WireEvent } from '@loupe/contract/browser';
import { loadScript } from './loadScript.ts';

export interface CommandTarget {
  push(event: WireEvent): void;
  /** Scrubs free text the page hands over (tag values, event names) like titles: the masking table's rule. */
  scrub_(text: string): string;
  salt_: string;
  /** URL of the SHA-256 fallback bundle, for pages without `crypto.subtle` (plain http). */
  sha256Url_: string;
  /** `loupe('upgrade')`: record this session regardless of sampling. */
  upgrade_(): void;
}

/** Where the SHA-256 fallback bundle (`src/sha256Fallback.ts`) publishes its function. */
export const SHA256_GLOBAL = '__loupeSha256';
type FallbackWindow = Window & { [SHA256_GLOBAL]?: (text: string) => string };

/** A command runner with its per-page tag budget; `reset_()` on each page view. */
export function commandRunner(t: CommandTarget): { run_(args: ArrayLike<unknown>): void; reset_(): void } {
  let tags = 0;
  const cut = (v: string): string => v.slice(0, MAX_TAG_LENGTH);
  // Values and event names are page text (they often carry order numbers or e-mail addresses); tag keys and the
  // checkout token are identifiers the site chose, sent as given. Scrubbed before clipping: a clipped e-mail address
  // could escape the pattern.
  const clip = (v: unknown): string => cut(t.scrub_(String(v)));
  const key = (v: unknown): string => (typeof v === 'string' ? cut(v) : '');
  return {
    reset_: () => void (tags = 0),
    run_(args) {
      const [name, a, b] = args as unknown[];
      const ts = Date.now();
      if (name === 'checkout') {
        if (CHECKOUT_STEPS.indexOf(a as CheckoutStep) < 0) return;
        const d = (typeof b === 'object' && b ? b : {}) as Record<string, unknown>;
        const v = typeof d.value === 'string' ? Number(d.value) : d.value;
        const cu = typeof d.currency === 'string' ? d.currency.toUpperCase() : '';
        t.push({
          t: 'co',
          ts,
          st: a as CheckoutStep,
          tk: key(d.token) || undefined,
          v: typeof v === 'number' && isFinite(v) && v >= 0 ? v : undefined,
          cu: /^[A-Z]{3}$/.test(cu) ? cu : undefined,
        });
      } else if (name === 'event') {
        const nm = typeof a === 'string' && clip(a);
        if (nm) t.push({ t: 'ev', ts, nm });
      } else if (name === 'set') {
        const k = key(a);
        const v = Array.isArray(b) ? b.slice(0, MAX_TAGS_PER_PAGE).map(clip) : b == null ? '' : clip(b);
        // Excess tags of a page are ignored, not queued for later.
        if (k && tags < MAX_TAGS_PER_PAGE) {
          tags++;
          t.push({ t: 'tg', ts, k, v });
        }
      } else if (name === 'identify') {
        if (typeof a !== 'string' || !a.trim()) return;
        const input = identifyHashInput(t.salt_, a);
        sha256HexSubtle(input, typeof crypto !== 'undefined' ? crypto.subtle : null)
          .then((hash) => hash || loadScript(t.sha256Url_).then(() => (window as FallbackWindow)[SHA256_GLOBAL]?.(input)))
          .then((h) => {
            if (h) t.push({ t: 'id', ts, h });
          })
          .catch(() => undefined);
      } else if (name === 'upgrade') t.upgrade_();
    },
  };
}
