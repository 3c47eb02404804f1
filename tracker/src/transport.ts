/**
 * The tracker's transport: keeps the envelope (visitor, session, page view, seq), queues events and delivers them
 * to `/collect` as `text/plain` wire JSON, which browsers send without a CORS preflight.
 *
 * Delivery: a batch leaves every few seconds, at 20 events, and when the page is hidden or unloads (then through
 * `sendBeacon`, because a pending promise would die with the page). A batch keeps its seq across retries, so a
 * resend the server already stored is a no-op there. Answers: 2xx done; network errors and 5xx retried with
 * exponential back-off (5 tries); 429 waits `Retry-After`; 413 splits the batch in halves; 400 drops the batch;
 * other 4xx (unknown key, disabled project, origin refused) stop the transport for the page. Nothing here throws
 * into the host page.
 */
import { CONTRACT_VERSION, MAX_EVENTS_PER_BATCH, type NavigationKind, type WireBatch, type WireEvent } from '@loupe/contract/browser';
import { guard } from './guard.ts';
import { browserOnHide, defaultTimer } from './lifecycle.ts';
import { browserPageInfo } from './pageInfo.ts';
import { newId, SESSION_KEY, sessionStore, VISITOR_KEY, visitorStore } from './storage.ts';
import type { FetchLike, Ids, SendResult, Transport, TransportOptions } from './transportTypes.ts';

export type { FetchLike, Ids, SendResult, Transport, TransportOptions } from './transportTypes.ts';

const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
/** Batches kept for retry; beyond it the oldest go, so a dead network cannot grow memory without bound. */
const MAX_OUTBOX = 50;
const MAX_FAILURES = 5;
const DEFAULT_RETRY_MS = 10_000;
const MAX_RETRY_MS = 10 * 60_000;

/** Milliseconds a `Retry-After` header (seconds or an HTTP date) asks to wait, bounded to [0, 10 min]. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (!header) return DEFAULT_RETRY_MS;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - nowMs;
  return ms >= 0 ? Math.min(ms, MAX_RETRY_MS) : DEFAULT_RETRY_MS;
}

const encoder = new TextEncoder();
const byteLength = (s: string): number => encoder.encode(s).length;

/** Creates the transport. Browser defaults need no options beyond endpoint and key. */
export function createTransport(o: TransportOptions): Transport {
  const flushIntervalMs = o.flushIntervalMs ?? 5000;
  const maxEvents = o.maxEvents ?? 20;
  const maxBodyBytes = o.maxBodyBytes ?? 60_000;
  const idleMs = o.idleTimeoutMs ?? 30 * 60_000;
  const now = o.now ?? Date.now;
  const post: FetchLike = o.fetch ?? ((url, init) => fetch(url, init));
  const canBeacon = typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function';
  const beacon = o.sendBeacon !== undefined ? o.sendBeacon : canBeacon ? (u: string, b: string) => navigator.sendBeacon(u, b) : null;
  const pageInfo = o.pageInfo ?? browserPageInfo;
  const setTimer = o.setTimer ?? defaultTimer;
  // Blocked storage answers null (the ids then live in memory for this page).
  const sessions = o.sessionStore ?? sessionStore();
  const visitors = o.visitorStore ?? visitorStore();

  let visitorId = visitors.get(VISITOR_KEY) ?? '';
  if (!ID_RE.test(visitorId)) visitors.set(VISITOR_KEY, (visitorId = newId()));
  const [storedId = '', storedLast = '0'] = (sessions.get(SESSION_KEY) ?? '').split('.');
  const session = ID_RE.test(storedId) ? { id: storedId, last: Number(storedLast) || 0 } : { id: newId(), last: now() };

  let pageViewId = newId();
  let pageOpen = false;
  let lastUrl: string | undefined;
  let lastTitle: string | undefined;
  let seq = 0;
  const queue: WireEvent[] = [];
  const outbox: WireBatch[] = [];
  let sending: WireBatch | null = null;
  let blockedUntil = 0;
  let failures = 0;
  let cancelTimer: (() => void) | null = null;
  let timerDue = Infinity;
  let stopped = false;
  let savedAt = -Infinity;

  /** Turns queued events into batches of the current envelope, split so that each body stays under the bound. */
  function drain(): void {
    if (!queue.length) return;
    const info = pageInfo();
    const add = (e: WireEvent[]): void => {
      const batch: WireBatch = { v: CONTRACT_VERSION, k: o.projectKey, vi: visitorId, si: session.id, pi: pageViewId, ct: 0, ...info, n: 0, e };
      // A lone event over the bound is still sent: the api's own limit is higher, and it decides.
      if (e.length > 1 && byteLength(JSON.stringify(batch)) > maxBodyBytes) {
        const half = Math.ceil(e.length / 2);
        add(e.slice(0, half));
        add(e.slice(half));
        return;
      }
      batch.n = seq++;
      outbox.push(batch);
    };
    add(queue.splice(0));
    while (outbox.length > MAX_OUTBOX) outbox.splice(outbox[0] === sending ? 1 : 0, 1);
  }

  /** clientTime is stamped at each send: the api dates events by their offset from it. */
  const bodyOf = (batch: WireBatch): string => JSON.stringify({ ...batch, ct: now() });
  const remove = (batch: WireBatch): void => {
    const i = outbox.indexOf(batch);
    if (i >= 0) outbox.splice(i, 1);
  };
  const request = (body: string): Promise<SendResult> =>
    post(o.endpoint, { method: 'POST', body, keepalive: true, credentials: 'omit' });

  function schedule(ms: number): void {
    const due = now() + ms;
    if (cancelTimer && timerDue <= due) return;
    cancelTimer?.();
    timerDue = due;
    cancelTimer = setTimer(() => {
      cancelTimer = null;
      timerDue = Infinity;
      flush();
    }, ms);
  }

  /** A batch the api found too large goes again as two halves with fresh seqs (the refused seq was never stored). */
  function split(batch: WireBatch): void {
    const i = outbox.indexOf(batch);
    if (i < 0) return;
    const half = Math.ceil(batch.e.length / 2);
    const parts = batch.e.length > 1 ? [batch.e.slice(0, half), batch.e.slice(half)] : [];
    outbox.splice(i, 1, ...parts.map((e) => ({ ...batch, e, n: seq++ })));
  }

  function settle(batch: WireBatch, res: SendResult | null): void {
    sending = null;
    if (stopped) return;
    if (res?.status === 413) {
      split(batch);
      failures = 0;
    } else if (res && res.status >= 401 && res.status < 500 && res.status !== 429) {
      // The key, the project or the origin is refused: nothing later on this page would be accepted either.
      halt(true);
      return;
    } else if (res?.status === 429) {
      blockedUntil = now() + retryAfterMs(res.headers.get('Retry-After'), now());
    } else if (!res || res.status >= 500) {
      failures++;
      if (failures > MAX_FAILURES) {
        remove(batch);
        failures = 0;
      } else blockedUntil = now() + Math.min(60_000, 1000 * 2 ** failures);
    } else {
      // 2xx, or a 4xx that sending the same body again would not fix.
      remove(batch);
      failures = 0;
    }
    pump();
  }

  /** Sends the outbox one batch at a time, so a 429 stops the rest instead of multiplying. */
  function pump(): void {
    const batch = outbox[0];
    if (sending || !batch) return;
    const wait = blockedUntil - now();
    if (wait > 0) return schedule(wait);
    sending = batch;
    let pending: Promise<SendResult>;
    try {
      pending = request(bodyOf(batch));
    } catch (thrown) {
      // A fetch that throws instead of rejecting is settled like a network error.
      pending = Promise.reject(thrown);
    }
    const done = guard(settle);
    pending.then(
      (res) => done(batch, res),
      () => done(batch, null),
    );
  }

  function halt(discard: boolean): void {
    if (!discard) flush(true);
    stopped = true;
    queue.length = 0;
    outbox.length = 0;
    cancelTimer?.();
    cancelTimer = null;
  }

  function flush(unloading = false): void {
    if (stopped) return;
    drain();
    if (!unloading) return pump();
    // The page may be gone before any promise settles: hand every batch to the browser now. The one in flight
    // already travels with keepalive.
    for (const batch of outbox.slice()) {
      if (batch === sending) continue;
      remove(batch);
      const body = bodyOf(batch);
      if (!beacon?.(o.endpoint, body)) request(body).catch(() => undefined);
    }
  }

  /** Keeps the session alive; after the idle timeout what is queued leaves under the old id, then a new one begins. */
  function touchSession(): boolean {
    const t = now();
    const expired = t - session.last > idleMs;
    if (expired) {
      drain();
      session.id = newId();
    }
    // sessionStorage writes are synchronous: at most one every few seconds (the 30-minute rule does not need more).
    if (expired || t - savedAt > 5000) sessions.set(SESSION_KEY, `${session.id}.${(savedAt = t)}`);
    session.last = t;
    return expired;
  }

  function openPageView(navigation: NavigationKind, title: string | undefined): void {
    drain();
    const info = pageInfo();
    pageViewId = newId();
    seq = 0;
    pageOpen = true;
    const referrer = navigation === 'load' ? info.r : lastUrl;
    lastUrl = info.u;
    lastTitle = title?.slice(0, 1024);
    queue.push({ t: 'pv', ts: now(), pi: pageViewId, u: info.u, r: referrer, ti: lastTitle, nv: navigation });
  }

  function afterQueued(): void {
    if (queue.length >= maxEvents) flush();
    else schedule(flushIntervalMs);
  }

  (o.onHide ?? browserOnHide)(guard(() => {
    o.beforeHide?.();
    flush(true);
  }));

  return {
    push: guard((event: WireEvent) => {
      if (stopped) return;
      // A page left open past the idle timeout continues as a new visit, which needs its own page view.
      if (touchSession() && pageOpen) openPageView('load', lastTitle);
      // Bounded even if batches cannot be built (a broken environment would otherwise grow it forever).
      if (queue.length < MAX_EVENTS_PER_BATCH) queue.push(event);
      afterQueued();
    }),
    pageView: guard((navigation: NavigationKind, title?: string) => {
      if (stopped) return;
      touchSession();
      openPageView(navigation, title);
      afterQueued();
    }),
    flush: guard((unloading?: boolean) => flush(unloading === true)),
    // Reads three variables: nothing to guard.
    ids: (): Ids => ({ visitorId, sessionId: session.id, pageViewId }),
    stop: guard((discard?: boolean) => {
      if (!stopped) halt(discard === true);
    }),
  };
}
