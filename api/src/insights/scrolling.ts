/**
 * Scrolling figures of one page view and the excessive-scrolling rule, judged against what is normal for that page
 * on that site (a per-URL baseline, else the site's, else a default).
 */
import type { Baseline, Baselines, InsightRules, ScrollInput } from './types.ts';

/** Moves shorter than this are jitter (momentum settling, a focus jump), not a scroll in a direction. */
const JITTER_PX = 16;
/** A baseline needs this many scrolled page views to be trusted. */
export const BASELINE_MIN_SAMPLES = 30;
/** Robust standard deviation of a normal distribution from its MAD. */
const MAD_TO_SD = 1.4826;

/** Used until a site has enough data of its own. */
export const DEFAULT_BASELINE: Baseline = {
  samples: 0,
  reversalsMedian: 1,
  reversalsMad: 1,
  speedMedian: 150,
  speedMad: 100,
  dwellMedianMs: 30_000,
};

export interface ScrollStats {
  /** Total px scrolled, both directions. */
  distance: number;
  /** Changes of direction between successive moves. */
  reversals: number;
  /** px scrolled per second of the page view (at least one second). */
  speed: number;
}

/** `samples` in time order; `dwellMs` the page view's length. */
export function scrollStats(samples: readonly ScrollInput[], dwellMs: number): ScrollStats {
  let distance = 0;
  let reversals = 0;
  let direction = 0;
  let lastY = samples[0]?.y ?? 0;
  for (const { y } of samples.slice(1)) {
    const dy = y - lastY;
    if (Math.abs(dy) < JITTER_PX) continue;
    distance += Math.abs(dy);
    const dir = Math.sign(dy);
    if (direction !== 0 && dir !== direction) reversals++;
    direction = dir;
    lastY = y;
  }
  return { distance: Math.round(distance), reversals, speed: distance / Math.max(dwellMs / 1000, 1) };
}

/** The baseline a page is judged against: its own when it has enough samples, else the site's, else the default. */
export function baselineFor(url: string, baselines: Baselines): Baseline {
  const own = baselines.byUrl.get(url);
  if (own && own.samples >= BASELINE_MIN_SAMPLES) return own;
  if (baselines.site && baselines.site.samples >= BASELINE_MIN_SAMPLES) return baselines.site;
  return DEFAULT_BASELINE;
}

/**
 * How far above normal, in robust standard deviations. Floors keep a page where most visitors behave alike from
 * flagging ordinary variation: reversals are counts, whose spread grows like the square root of their level (and a
 * page where most never scroll back must not flag the few who look back twice); speeds vary by multiples (reading
 * time is log-normal), so their spread is at least the median itself.
 */
export function scrollScores(stats: ScrollStats, b: Baseline): { reversalsZ: number; speedZ: number } {
  const revSd = Math.max(MAD_TO_SD * b.reversalsMad, Math.sqrt(b.reversalsMedian), 1.5);
  const speedSd = Math.max(MAD_TO_SD * b.speedMad, b.speedMedian, 25);
  return { reversalsZ: (stats.reversals - b.reversalsMedian) / revSd, speedZ: (stats.speed - b.speedMedian) / speedSd };
}

/**
 * Excessive scrolling: at least `excessiveScrollMinReversals` reversals, and either the reversals are at least
 * `excessiveScrollZ` robust standard deviations above the page's normal, or the scroll speed is while the reversals
 * are also clearly above normal (one deviation). A fast skim straight down is not excessive, nor is a quick read
 * that looks back as often as others do; searching up and down, much more than others do on that page, is.
 */
export function isExcessiveScroll(stats: ScrollStats, b: Baseline, rules: InsightRules): boolean {
  if (stats.reversals < rules.excessiveScrollMinReversals) return false;
  const z = scrollScores(stats, b);
  return z.reversalsZ >= rules.excessiveScrollZ || (z.speedZ >= rules.excessiveScrollZ && z.reversalsZ >= 1);
}
