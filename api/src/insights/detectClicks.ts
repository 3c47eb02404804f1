/**
 * Click rules on one page view: rage clicks (bursts), dead clicks (no reaction) and error clicks (an error follows).
 * Rules and thresholds are stated in docs/insights.md.
 */
import type { ClickInput, ErrorInput, InsightRules } from './types.ts';

/** A reaction that shows the page answered the click by changing (a stepper, a carousel, a link). */
const ANSWERED = new Set(['mutation', 'navigation']);

/** A triple-click this fast on plain text selects a paragraph: it is not frustration. */
const TEXT_SELECTION_SPAN_MS = 800;

export interface RageBurst {
  clicks: ClickInput[];
}

const distance = (a: ClickInput, b: ClickInput): number => Math.hypot(a.pageX - b.pageX, a.pageY - b.pageY);

/**
 * Bursts of at least `rageClickCount` clicks, each within `rageClickGapMs` of the previous and within
 * `rageClickRadiusPx` of the burst's first click, where fewer than half of the clicks were answered by a DOM change
 * or a navigation, and which are not a quick triple-click on plain text. `clicks` must be in time order.
 */
export function findRageBursts(clicks: readonly ClickInput[], rules: InsightRules): RageBurst[] {
  const bursts: RageBurst[] = [];
  let i = 0;
  while (i < clicks.length) {
    const first = clicks[i]!;
    let j = i;
    for (let next = clicks[j + 1]; next; next = clicks[j + 1]) {
      if (next.ts - clicks[j]!.ts > rules.rageClickGapMs || distance(next, first) > rules.rageClickRadiusPx) break;
      j++;
    }
    const burst = clicks.slice(i, j + 1);
    if (burst.length >= rules.rageClickCount && !answered(burst) && !textSelection(burst)) {
      bursts.push({ clicks: burst });
      i = j + 1;
    } else {
      i++;
    }
  }
  return bursts;
}

function answered(burst: readonly ClickInput[]): boolean {
  const n = burst.filter((c) => c.reaction !== null && ANSWERED.has(c.reaction)).length;
  return n * 2 >= burst.length;
}

function textSelection(burst: readonly ClickInput[]): boolean {
  return burst.length === 3 && burst.every((c) => !c.interactive) && burst[2]!.ts - burst[0]!.ts <= TEXT_SELECTION_SPAN_MS;
}

/** A page view of the session starting this soon after a click answers it, even when the tracker's window missed it. */
export const LATE_NAVIGATION_MS = 5000;

/**
 * A dead click: the tracker saw no reaction (no navigation, DOM change, scroll or focus change within its window) to
 * a click on something that looks clickable, and no page view followed within `LATE_NAVIGATION_MS` (a slow server
 * answers a link after the window). Clicks on plain text or empty space are not dead clicks: nothing was promised.
 * `nextPageAt` is the start of the session's next page view, if any.
 */
export const isDeadClick = (c: ClickInput, nextPageAt?: number): boolean =>
  c.reaction === 'none' && c.interactive && !(nextPageAt !== undefined && nextPageAt - c.ts <= LATE_NAVIGATION_MS);

/**
 * Error clicks: each error is blamed on the latest click on something clickable on the same page at most
 * `errorClickWindowMs` before it (a click on plain text runs no code of the page worth blaming); a click is an error
 * click once however many errors follow it. Returns the clicks with their first error.
 */
export function findErrorClicks(
  clicks: readonly ClickInput[],
  errors: readonly ErrorInput[],
  rules: InsightRules,
): Array<{ click: ClickInput; error: ErrorInput }> {
  const found = new Map<ClickInput, ErrorInput>();
  for (const e of errors) {
    let blamed: ClickInput | undefined;
    for (const c of clicks) {
      if (c.ts > e.ts) break;
      if (c.interactive && e.ts - c.ts <= rules.errorClickWindowMs) blamed = c;
    }
    if (blamed && !found.has(blamed)) found.set(blamed, e);
  }
  return [...found].map(([click, error]) => ({ click, error })).sort((a, b) => a.click.ts - b.click.ts);
}
