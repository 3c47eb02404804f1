/**
 * What the insight analyzer reads about one ended session and what it concludes. The rules are pure functions over
 * these shapes (`analyzeSession.ts`), so the workers and the insights benchmark judge sessions with the same code.
 */
import type { ProjectSettings } from '@loupe/contract';

export type InsightRules = ProjectSettings['insights'];

export const INSIGHT_KINDS = ['rage_click', 'dead_click', 'error_click', 'excessive_scroll', 'quick_back'] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];
/** What sessions can be filtered by: an insight, or having a JavaScript error at all. */
export const SESSION_FLAGS = [...INSIGHT_KINDS, 'js_error'] as const;
export type SessionFlag = (typeof SESSION_FLAGS)[number];

export interface PageViewInput {
  id: string;
  url: string;
  startedAt: number;
  lastEventAt: number;
  activeMs: number | null;
}

export interface ClickInput {
  pageViewId: string;
  ts: number;
  pageX: number;
  pageY: number;
  selector: string;
  interactive: boolean;
  /** The tracker's reaction signal; null from trackers that predate it. */
  reaction: string | null;
}

export interface ScrollInput {
  pageViewId: string;
  ts: number;
  y: number;
}

export interface ErrorInput {
  pageViewId: string;
  ts: number;
  message: string;
}

export interface SessionInput {
  projectId: string;
  id: string;
  startedAt: number;
  pageViews: PageViewInput[];
  clicks: ClickInput[];
  scrolls: ScrollInput[];
  errors: ErrorInput[];
}

/** What is normal on a page (or, with url '', on the whole site): medians and median absolute deviations. */
export interface Baseline {
  samples: number;
  reversalsMedian: number;
  reversalsMad: number;
  /** Scroll speed: px scrolled per second on the page. */
  speedMedian: number;
  speedMad: number;
  dwellMedianMs: number;
}

export interface Baselines {
  site: Baseline | null;
  byUrl: ReadonlyMap<string, Baseline>;
}

export interface InsightOccurrence {
  kind: InsightKind;
  /** Numbered per session and kind in time order. */
  seq: number;
  ts: number;
  pageViewId: string;
  url: string;
  offsetMs: number;
  selector: string | null;
  detail: Record<string, string | number>;
}

export interface PageViewAnalysis {
  id: string;
  startedAt: number;
  dwellMs: number;
  scrollDistance: number;
  scrollReversals: number;
  rageClicks: number;
  deadClicks: number;
  errorClicks: number;
  excessiveScroll: boolean;
  quickBack: boolean;
}

export interface SessionAnalysis {
  projectId: string;
  id: string;
  activeMs: number;
  counts: Record<InsightKind, number>;
  pageViews: PageViewAnalysis[];
  insights: InsightOccurrence[];
}
