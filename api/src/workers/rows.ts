/** The rows one job writes, table by table, before they are turned into set-based INSERTs. */

export interface SessionDelta {
  projectId: string;
  id: string;
  clientSessionId: string;
  visitorId: string;
  startedAt: number;
  endedAt: number;
  deviceClass: string;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  viewportWidth: number;
  viewportHeight: number;
  entryUrl: string | null;
  exitUrl: string | null;
  referrer: string | null;
  pageCount: number;
  clickCount: number;
  errorCount: number;
  maxScrollDepth: number;
  tags: Record<string, string | string[]>;
  identifyHash: string | null;
  consentGranted: boolean | null;
  recordingChunks: number;
  /** Checkout steps reached (bits of `CHECKOUT_BITS`) and when each funnel level was first reached. */
  checkoutMask: number;
  checkoutAt: number | null;
  checkoutShippingAt: number | null;
  checkoutPaymentAt: number | null;
  checkoutConfirmedAt: number | null;
}

export interface VisitorDelta {
  projectId: string;
  id: string;
  firstSeenAt: number;
  lastSeenAt: number;
  identifyHash: string | null;
}

export interface PageViewRow {
  projectId: string;
  startedAt: number;
  id: string;
  sessionId: string;
  visitorId: string;
  url: string;
  referrer: string | null;
  title: string | null;
  navigation: string;
  batchId: string;
}

export interface PageViewDelta {
  projectId: string;
  id: string;
  maxScrollDepth: number;
  clicks: number;
  lastEventAt: number;
  /** Largest active time the tracker reported for the page (it reports the running total on each hide). */
  activeMs: number | null;
}

/** Columns every event row has: identity (batchId, idx) and time. */
interface EventRowBase {
  projectId: string;
  ts: number;
  batchId: string;
  idx: number;
  sessionId: string;
}

export interface ClickRow extends EventRowBase {
  pageViewId: string;
  url: string;
  x: number;
  y: number;
  pageX: number;
  pageY: number;
  selector: string;
  relX: number;
  relY: number;
  interactive: boolean;
  href: string | null;
  viewportWidth: number;
  reaction: string | null;
}

export interface ScrollRow extends EventRowBase {
  pageViewId: string;
  y: number;
  depth: number;
}

export interface ErrorRow extends EventRowBase {
  pageViewId: string;
  url: string;
  kind: string;
  message: string;
  source: string | null;
  line: number | null;
  column: number | null;
  stack: string | null;
}

export interface TagRow extends EventRowBase {
  key: string;
  value: string;
}

export interface CustomEventRow extends EventRowBase {
  pageViewId: string;
  name: string;
}

export interface CheckoutRow extends EventRowBase {
  visitorId: string;
  source: string;
  step: string;
  token: string | null;
  valueMinor: string | null;
  currency: string | null;
}

export interface RowSet {
  sessions: Map<string, SessionDelta>;
  visitors: Map<string, VisitorDelta>;
  pageViews: PageViewRow[];
  pageViewDeltas: Map<string, PageViewDelta>;
  clicks: ClickRow[];
  scrolls: ScrollRow[];
  errors: ErrorRow[];
  tags: TagRow[];
  customEvents: CustomEventRow[];
  checkouts: CheckoutRow[];
}

export const emptyRowSet = (): RowSet => ({
  sessions: new Map(),
  visitors: new Map(),
  pageViews: [],
  pageViewDeltas: new Map(),
  clicks: [],
  scrolls: [],
  errors: [],
  tags: [],
  customEvents: [],
  checkouts: [],
});

/** Total event rows (for logs and the benchmark). */
export const eventRowCount = (r: RowSet): number =>
  r.pageViews.length + r.clicks.length + r.scrolls.length + r.errors.length + r.tags.length + r.customEvents.length + r.checkouts.length;
