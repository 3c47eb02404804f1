/**
 * Entry of the eager core served at `/t/<ingestKey>.js`. The api replaces `__LOUPE_CONFIG__` with the project's
 * tracker settings (a JSON object), so the rules are known before the first event.
 */
import type { TrackerConfig } from '@loupe/contract/browser';
import { start } from './core.ts';

declare const __LOUPE_CONFIG__: TrackerConfig;

try {
  start(__LOUPE_CONFIG__);
} catch {
  // A tracker that cannot start (odd embedding, missing API) stays silent rather than breaking the store. Browsers
  // without ES2020 cannot parse the bundle at all; the install snippet keeps them from loading it.
}
