import type { SessionFilters } from './sessionFilters.ts';

/**
 * The rollup rows (migration `rollups`) that answer a set of filters: a segment (all sessions, or those with one
 * custom tag value), optionally one device, and the visitor scope matching them.
 */
export interface RollupSlice {
  /** `''` or `tag key:value` (see `loupe_session_segments`). */
  segment: string;
  device?: 'pc' | 'tablet' | 'mobile';
  /** Unique-visitor scope: `*`, the device, or the tag segment. */
  scope: string;
}

/**
 * The slice answering these filters, or undefined when the rollups cannot (read the sessions instead): rollups are
 * keyed by day and device, or day and one tag value — not both, and not by browser, OS, URL, referrer or insight.
 * `sourceToo`: the caller reads only session totals, which are keyed by traffic source as well.
 */
export function rollupSlice(filters: SessionFilters, sourceToo = false): RollupSlice | undefined {
  if (filters.browser || filters.os || filters.url || filters.referrer || filters.insight?.length) return undefined;
  if (filters.source && !sourceToo) return undefined;
  const tags = filters.tag ?? [];
  if (tags.length > 1 || (tags.length === 1 && filters.device)) return undefined;
  if (tags[0]) return { segment: `tag ${tags[0]}`, scope: `tag ${tags[0]}` };
  return filters.device ? { segment: '', device: filters.device, scope: filters.device } : { segment: '', scope: '*' };
}
