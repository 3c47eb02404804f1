import type { SessionFilters } from './sessionFilters.ts';

/**
 * The rollup rows (migrations `rollups`, `rollup_segments`; docs/rollups.md) that answer a set of filters: a segment
 * (all sessions, or those matching one filter value), optionally one device, and the matching visitor scope.
 */
export interface RollupSlice {
  /** `''`, or `browser <name>`, `os <name>`, `source <host>`, `insight <kind>`, `tag <key>:<value>` (see `loupe_session_segments`). */
  segment: string;
  device?: 'pc' | 'tablet' | 'mobile';
  /** Unique-visitor scope: `*`, the device, or the segment. */
  scope: string;
}

/**
 * The slice answering these filters, or undefined when the rollups cannot (read the sessions instead). Rollups hold
 * one segment per filter value, and a device column: they answer a range with a device filter or one other filter
 * value (browser, OS, traffic source, one tag, one insight) — not both, not two values, and never URL or referrer
 * filters. `sessionTotalsOnly` (the funnel): session totals also have a traffic-source column, and need no visitor
 * scope, so device and source combine with one segment.
 */
export function rollupSlice(filters: SessionFilters, sessionTotalsOnly = false): RollupSlice | undefined {
  if (filters.url || filters.referrer) return undefined;
  const segments: string[] = [];
  if (filters.browser) segments.push(`browser ${filters.browser}`);
  if (filters.os) segments.push(`os ${filters.os}`);
  if (filters.source && !sessionTotalsOnly) segments.push(`source ${filters.source.toLowerCase()}`);
  for (const t of filters.tag ?? []) segments.push(`tag ${t}`);
  for (const kind of filters.insight ?? []) segments.push(`insight ${kind}`);
  if (segments.length > 1) return undefined;
  const segment = segments[0] ?? '';
  if (sessionTotalsOnly) return { segment, device: filters.device, scope: segment || filters.device || '*' };
  if (segment && filters.device) return undefined;
  return { segment, device: filters.device, scope: segment || filters.device || '*' };
}
