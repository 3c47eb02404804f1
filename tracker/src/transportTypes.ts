/** The transport's public shapes: its options (every browser dependency injectable for tests) and its API. */
import type { NavigationKind, WireEvent, WirePageInfo } from '@loupe/contract/browser';
import type { KeyValue } from './storage.ts';

/** The part of a fetch response the transport reads. */
export interface SendResult {
  status: number;
  headers: { get(name: string): string | null };
}
export type FetchLike = (url: string, init: RequestInit) => Promise<SendResult>;

export interface TransportOptions {
  /** Absolute URL of the api's `/collect`. */
  endpoint: string;
  /** The project's public ingest key. */
  projectKey: string;
  /** Longest an event waits in the queue (default 5 s). */
  flushIntervalMs?: number;
  /** Queue length that triggers a flush (default 20). */
  maxEvents?: number;
  /** Upper bound of one body; beacons and keepalive fetches share a 64 KB budget (default 60 000). */
  maxBodyBytes?: number;
  /** Inactivity after which a new session begins (default 30 min). */
  idleTimeoutMs?: number;
  // Injected in tests; the defaults are the browser's.
  fetch?: FetchLike;
  sendBeacon?: ((url: string, body: string) => boolean) | null;
  now?: () => number;
  visitorStore?: KeyValue;
  sessionStore?: KeyValue;
  pageInfo?: () => WirePageInfo;
  /** Runs `fn` after `ms`; answers a cancel function. */
  setTimer?: (fn: () => void, ms: number) => () => void;
  /** Calls `hide` when the page is hidden or unloads (a stopped transport ignores it). */
  onHide?: (hide: () => void) => void;
  /** Runs when the page hides, before the last flush (capture modules queue their final events here). */
  beforeHide?: () => void;
}

export interface Ids {
  visitorId: string;
  sessionId: string;
  pageViewId: string;
}

export interface Transport {
  /** Queues an event (in wire form) of the current page view. */
  push(event: WireEvent): void;
  /** Opens a page view: what is queued leaves under the previous one, then a page-view event starts the new one. */
  pageView(navigation: NavigationKind, title?: string): void;
  /** Sends what is queued; `unloading` hands everything to the browser at once (beacon). */
  flush(unloading?: boolean): void;
  ids(): Ids;
  /** Sends what is queued (unless `discard`) and detaches timers and listeners; later calls do nothing. */
  stop(discard?: boolean): void;
}
