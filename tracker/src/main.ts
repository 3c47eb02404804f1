/**
 * Entry of the eager core served at `/t/<ingestKey>.js`. The api replaces `__LOUPE_CONFIG__` with the project's
 * tracker settings (a JSON object), so the rules are known before the first event.
 */
import type { TrackerConfig } from '@loupe/contract/browser';
import { start } from './core.ts';

declare const __LOUPE_CONFIG__: TrackerConfig;

try {
  if (typeof document !== 'undefined' && typeof Map === 'function' && typeof JSON === 'object') start(__LOUPE_CONFIG__);
} catch {
  // A tracker that cannot start (very old browser, odd embedding) stays silent rather than breaking the store.
}
