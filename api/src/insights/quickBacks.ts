/** Quick backs: a visitor reaches a page and returns to the previous one faster than the site's adaptive threshold. */
import { BASELINE_MIN_SAMPLES, DEFAULT_BASELINE } from './scrolling.ts';
import type { Baselines, InsightRules } from './types.ts';

/** The dwell under which a return counts as quick: a share of the site's median dwell, clamped. */
export function quickBackThresholdMs(baselines: Baselines, rules: InsightRules): number {
  const site = baselines.site;
  const median = site && site.samples >= BASELINE_MIN_SAMPLES && site.dwellMedianMs > 0 ? site.dwellMedianMs : DEFAULT_BASELINE.dwellMedianMs;
  return Math.min(rules.quickBackMaxMs, Math.max(rules.quickBackMinMs, rules.quickBackDwellShare * median));
}

/**
 * Indexes of the page views that were quick backs: page B between A and A again (same normalised URL, B different)
 * when B lasted less than `thresholdMs`. `pages` in time order with their dwell.
 */
export function findQuickBacks(pages: ReadonlyArray<{ url: string; dwellMs: number }>, thresholdMs: number): number[] {
  const found: number[] = [];
  for (let i = 1; i + 1 < pages.length; i++) {
    const [a, b, c] = [pages[i - 1]!, pages[i]!, pages[i + 1]!];
    if (c.url === a.url && b.url !== a.url && b.dwellMs < thresholdMs) found.push(i);
  }
  return found;
}
