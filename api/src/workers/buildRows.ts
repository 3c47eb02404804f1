import { EventType, type Batch } from '@loupe/contract';
import { CHECKOUT_BITS, REACHED_PAYMENT_BITS, REACHED_SHIPPING_BITS } from '../checkout/steps.ts';
import { toMinorUnits } from './money.ts';
import { urlNormalizer } from './normalizeUrl.ts';
import { parseUserAgent } from './parseUserAgent.ts';
import type { ProjectSettings } from '@loupe/contract';
import type { RowSet, SessionDelta } from './rows.ts';

/** A claimed inbox batch, decoded, with its server session assigned. */
export interface PreparedBatch {
  inboxId: string;
  projectId: string;
  receivedMs: number;
  batch: Batch;
  /** The request's User-Agent when the batch carried none. */
  headerUa: string | null;
  settings: ProjectSettings;
  sessionId: string;
}

/** Event times further in the past than this (relative to receipt) are clamped: a stale clock, not history. */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/**
 * Client clocks are wrong; their differences are not. An event's time is its offset from the batch's send time
 * applied to the server's receipt time, clamped to [receipt − 7 days, receipt].
 */
export const correctedTime = (eventMs: number, clientMs: number, receivedMs: number): number =>
  Math.min(receivedMs, Math.max(receivedMs - MAX_AGE_MS, receivedMs + (eventMs - clientMs)));

/** Corrected first and last event time of a batch (its receipt time when it has no events). */
export function batchSpan(batch: Batch, receivedMs: number): { firstMs: number; lastMs: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const e of batch.events) {
    const t = correctedTime(e.time, batch.clientTime, receivedMs);
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return Number.isFinite(first) ? { firstMs: first, lastMs: last } : { firstMs: receivedMs, lastMs: receivedMs };
}

function mergeSession(into: SessionDelta, d: SessionDelta): void {
  if (d.startedAt < into.startedAt) {
    into.entryUrl = d.entryUrl ?? into.entryUrl;
    into.referrer = d.referrer ?? into.referrer;
  }
  if (d.endedAt >= into.endedAt) into.exitUrl = d.exitUrl ?? into.exitUrl;
  into.startedAt = Math.min(into.startedAt, d.startedAt);
  into.endedAt = Math.max(into.endedAt, d.endedAt);
  into.pageCount += d.pageCount;
  into.clickCount += d.clickCount;
  into.errorCount += d.errorCount;
  into.maxScrollDepth = Math.max(into.maxScrollDepth, d.maxScrollDepth);
  Object.assign(into.tags, d.tags);
  into.identifyHash = d.identifyHash ?? into.identifyHash;
  into.consentGranted = d.consentGranted ?? into.consentGranted;
  into.recordingChunks += d.recordingChunks;
  into.checkoutMask |= d.checkoutMask;
  into.checkoutAt = minTime(into.checkoutAt, d.checkoutAt);
  into.checkoutShippingAt = minTime(into.checkoutShippingAt, d.checkoutShippingAt);
  into.checkoutPaymentAt = minTime(into.checkoutPaymentAt, d.checkoutPaymentAt);
  into.checkoutConfirmedAt = minTime(into.checkoutConfirmedAt, d.checkoutConfirmedAt);
}

const minTime = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** Adds one batch's rows to `rows`. Pure: no I/O, so it is tested on its own. */
export function addBatchRows(rows: RowSet, p: PreparedBatch): void {
  const { batch, projectId, inboxId: batchId, sessionId } = p;
  const norm = urlNormalizer(p.settings.urlRules);
  const at = (ms: number) => correctedTime(ms, batch.clientTime, p.receivedMs);
  const span = batchSpan(batch, p.receivedMs);
  const client = parseUserAgent({
    ua: batch.userAgent.ua ?? p.headerUa,
    mobile: batch.userAgent.mobile,
    viewportWidth: batch.viewport.width,
    screenWidth: batch.screen.width,
    screenHeight: batch.screen.height,
  });

  let pageViewId = batch.pageViewId;
  let pageUrl = norm(batch.url);
  const counters = { click: 0, scroll: 0, error: 0, tag: 0, custom: 0, checkout: 0 };
  const session: SessionDelta = {
    projectId, id: sessionId, clientSessionId: batch.sessionId, visitorId: batch.visitorId,
    startedAt: span.firstMs, endedAt: span.lastMs, deviceClass: client.deviceClass,
    browser: client.browser, browserVersion: client.browserVersion, os: client.os, osVersion: client.osVersion,
    viewportWidth: batch.viewport.width, viewportHeight: batch.viewport.height,
    // Server-side platform events carry no page: they must not blank the session's entry and exit pages.
    entryUrl: pageUrl || null, exitUrl: pageUrl || null, referrer: batch.referrer ?? null,
    pageCount: 0, clickCount: 0, errorCount: 0, maxScrollDepth: 0, tags: {},
    identifyHash: null, consentGranted: null, recordingChunks: 0,
    checkoutMask: 0, checkoutAt: null, checkoutShippingAt: null, checkoutPaymentAt: null, checkoutConfirmedAt: null,
  };
  const pageDelta = (id: string, ts: number) => {
    const key = `${projectId}\u0000${id}`;
    let d = rows.pageViewDeltas.get(key);
    if (!d) rows.pageViewDeltas.set(key, (d = { projectId, id, maxScrollDepth: 0, clicks: 0, lastEventAt: ts, activeMs: null }));
    d.lastEventAt = Math.max(d.lastEventAt, ts);
    return d;
  };
  let firstPage = true;

  for (const e of batch.events) {
    const ts = at(e.time);
    switch (e.type) {
      case EventType.PageView: {
        pageViewId = e.pageViewId;
        pageUrl = norm(e.url);
        if (firstPage) session.entryUrl = pageUrl;
        firstPage = false;
        session.exitUrl = pageUrl;
        session.pageCount++;
        rows.pageViews.push({
          projectId, startedAt: ts, id: e.pageViewId, sessionId, visitorId: batch.visitorId, url: pageUrl,
          referrer: e.referrer ?? null, title: e.title ?? null, navigation: e.navigation, batchId,
        });
        pageDelta(pageViewId, ts);
        break;
      }
      case EventType.Click:
        session.clickCount++;
        pageDelta(pageViewId, ts).clicks++;
        rows.clicks.push({
          projectId, ts, batchId, idx: counters.click++, sessionId, pageViewId, url: pageUrl, x: e.x, y: e.y,
          pageX: e.pageX, pageY: e.pageY, selector: e.selector, relX: e.relX, relY: e.relY, interactive: e.interactive,
          href: e.href ?? null, viewportWidth: batch.viewport.width, reaction: e.reaction ?? null,
        });
        break;
      case EventType.Scroll: {
        session.maxScrollDepth = Math.max(session.maxScrollDepth, e.depth);
        const d = pageDelta(pageViewId, ts);
        d.maxScrollDepth = Math.max(d.maxScrollDepth, e.depth);
        rows.scrolls.push({ projectId, ts, batchId, idx: counters.scroll++, sessionId, pageViewId, y: e.y, depth: e.depth });
        break;
      }
      case EventType.Error:
        session.errorCount++;
        rows.errors.push({
          projectId, ts, batchId, idx: counters.error++, sessionId, pageViewId, url: pageUrl, kind: e.kind,
          message: e.message, source: e.source ?? null, line: e.line ?? null, column: e.column ?? null, stack: e.stack ?? null,
        });
        break;
      case EventType.Tag:
        session.tags[e.key] = e.value;
        for (const value of Array.isArray(e.value) ? e.value : [e.value]) {
          rows.tags.push({ projectId, ts, batchId, idx: counters.tag++, sessionId, key: e.key, value });
        }
        break;
      case EventType.Custom:
        rows.customEvents.push({ projectId, ts, batchId, idx: counters.custom++, sessionId, pageViewId, name: e.name });
        break;
      case EventType.Checkout: {
        const minor = e.value !== undefined && e.currency ? toMinorUnits(e.value, e.currency) : null;
        const bit = CHECKOUT_BITS[e.step];
        session.checkoutMask |= bit;
        session.checkoutAt = minTime(session.checkoutAt, ts);
        if (bit & REACHED_SHIPPING_BITS) session.checkoutShippingAt = minTime(session.checkoutShippingAt, ts);
        if (bit & REACHED_PAYMENT_BITS) session.checkoutPaymentAt = minTime(session.checkoutPaymentAt, ts);
        if (e.step === 'confirmed') session.checkoutConfirmedAt = minTime(session.checkoutConfirmedAt, ts);
        rows.checkouts.push({
          projectId, ts, batchId, idx: counters.checkout++, sessionId, visitorId: batch.visitorId, source: e.source ?? 'tracker',
          step: e.step, token: e.token ?? null, valueMinor: minor === null ? null : minor.toString(), currency: e.currency ?? null,
        });
        break;
      }
      case EventType.Identify:
        session.identifyHash = e.idHash;
        break;
      case EventType.Consent:
        session.consentGranted = e.granted;
        break;
      case EventType.Recording:
        session.recordingChunks++;
        break;
      case EventType.Visibility: {
        const d = pageDelta(pageViewId, ts);
        if (e.activeMs !== undefined) d.activeMs = Math.max(d.activeMs ?? 0, e.activeMs);
        break;
      }
      case EventType.Resize:
        pageDelta(pageViewId, ts);
        break;
    }
  }

  const sKey = `${projectId}\u0000${sessionId}`;
  const existing = rows.sessions.get(sKey);
  if (existing) mergeSession(existing, session);
  else rows.sessions.set(sKey, session);

  const vKey = `${projectId}\u0000${batch.visitorId}`;
  const visitor = rows.visitors.get(vKey);
  if (!visitor) {
    rows.visitors.set(vKey, { projectId, id: batch.visitorId, firstSeenAt: span.firstMs, lastSeenAt: span.lastMs, identifyHash: session.identifyHash });
  } else {
    visitor.firstSeenAt = Math.min(visitor.firstSeenAt, span.firstMs);
    visitor.lastSeenAt = Math.max(visitor.lastSeenAt, span.lastMs);
    visitor.identifyHash = session.identifyHash ?? visitor.identifyHash;
  }
}
