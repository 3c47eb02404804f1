import assert from 'node:assert/strict';
import type { WireEvent } from '@loupe/contract/browser';
import { retryAfterMs } from '../src/transport.ts';
import { harness, response, settle } from './fakes.ts';

const MIN = 60_000;
/** The transport takes events in wire form (the tests read them back decoded, as the api does). */
const click = (ts: number, s = 'main > button.add'): WireEvent => ({ t: 'cl', ts, x: 10, y: 20, px: 10, py: 220, s, rx: 0.5, ry: 0.5, i: true });

describe('transport: envelope and delivery', () => {
  it('sends valid text/plain wire batches with keepalive, seq counting up per page view', async () => {
    const h = harness();
    h.t.pageView('load', 'Mug');
    h.t.push(click(h.clock.now));
    h.t.flush();
    await settle();
    h.t.push(click(h.clock.now));
    h.t.flush();
    await settle();
    h.t.pageView('push', 'Cart');
    h.t.flush();
    await settle();

    assert.deepEqual(h.sent.map((s) => s.batch.seq), [0, 1, 0]);
    const [first, second, third] = h.sent.map((s) => s.batch);
    assert.ok(first && second && third);
    assert.equal(first.pageViewId, second.pageViewId);
    assert.notEqual(third.pageViewId, first.pageViewId);
    assert.deepEqual(first.events.map((e) => e.type), ['pageView', 'click']);
    assert.equal(first.events[0]?.type === 'pageView' && first.events[0].pageViewId, first.pageViewId);
    assert.equal(third.events[0]?.type === 'pageView' && third.events[0].navigation, 'push');
    assert.equal(first.visitorId, third.visitorId);
    assert.equal(first.sessionId, third.sessionId);
    const init = h.sent[0]?.init;
    assert.equal(init?.keepalive, true);
    assert.equal(init?.headers, undefined, 'a string body without headers is text/plain: no CORS preflight');
    assert.equal(typeof init?.body, 'string');
  });

  it('flushes at 20 events without waiting for the timer, and after the interval otherwise', async () => {
    const h = harness();
    h.t.pageView('load');
    for (let i = 0; i < 18; i++) h.t.push(click(h.clock.now));
    await settle();
    assert.equal(h.sent.length, 0);
    h.t.push(click(h.clock.now));
    await settle();
    assert.equal(h.sent.length, 1);
    assert.equal(h.sent[0]?.batch.events.length, 20);

    h.t.push(click(h.clock.now));
    await h.advance(4_999);
    assert.equal(h.sent.length, 1);
    await h.advance(1);
    assert.equal(h.sent.length, 2);
  });

  it('keeps visitor and session ids across page loads of the same tab', async () => {
    const a = harness();
    a.t.pageView('load');
    const ids = a.t.ids();
    const b = harness({}, { sessions: a.sessions, visitors: a.visitors });
    assert.equal(b.t.ids().visitorId, ids.visitorId);
    assert.equal(b.t.ids().sessionId, ids.sessionId);
    assert.notEqual(b.t.ids().pageViewId, ids.pageViewId);
    const other = harness({}, { visitors: a.visitors });
    assert.equal(other.t.ids().visitorId, ids.visitorId, 'a new tab is the same visitor');
    assert.notEqual(other.t.ids().sessionId, ids.sessionId, '… in a new session');
  });
});

describe('transport: session rotation', () => {
  it('starts a new session and page view after 30 minutes idle; earlier events keep the old ids', async () => {
    const h = harness();
    h.t.pageView('load', 'Mug');
    h.t.push(click(h.clock.now));
    const before = h.t.ids();
    h.clock.now += 29 * MIN;
    h.t.push(click(h.clock.now));
    assert.equal(h.t.ids().sessionId, before.sessionId, '29 min is not idle');

    h.clock.now += 30 * MIN + 1;
    h.t.push(click(h.clock.now, 'footer > a'));
    const after = h.t.ids();
    assert.notEqual(after.sessionId, before.sessionId);
    assert.notEqual(after.pageViewId, before.pageViewId);
    h.t.flush();
    await settle();
    await settle();

    const [old, fresh] = h.sent.map((s) => s.batch);
    assert.ok(old && fresh);
    assert.equal(old.sessionId, before.sessionId);
    assert.equal(old.events.length, 3);
    assert.equal(fresh.sessionId, after.sessionId);
    assert.equal(fresh.seq, 0);
    assert.deepEqual(fresh.events.map((e) => e.type), ['pageView', 'click'], 'the new session opens with a page view');
    assert.equal(fresh.events[0]?.type === 'pageView' && fresh.events[0].title, 'Mug');
  });

  it('rotates a session restored from storage when it was idle too long', () => {
    const a = harness();
    a.t.pageView('load');
    const b = harness({}, { sessions: a.sessions, visitors: a.visitors });
    b.clock.now = a.clock.now + 31 * MIN;
    b.t.pageView('load');
    assert.notEqual(b.t.ids().sessionId, a.t.ids().sessionId);
    assert.equal(b.t.ids().visitorId, a.t.ids().visitorId);
  });
});

describe('transport: body size', () => {
  it('splits a queue into bodies under maxBodyBytes, in order, with consecutive seqs', async () => {
    const h = harness({ maxBodyBytes: 2_000 });
    h.t.pageView('load');
    const long = 'main > section.products > article.product > div.actions > '.repeat(4);
    for (let i = 0; i < 19; i++) h.t.push(click(h.clock.now + i, `${long}button:nth-of-type(${i + 1})`));
    for (let i = 0; i < 10; i++) await settle();

    assert.ok(h.sent.length >= 3, `${h.sent.length} batches`);
    for (const s of h.sent) assert.ok(s.bytes <= 2_000, `${s.bytes} bytes`);
    assert.deepEqual(h.sent.map((s) => s.batch.seq), h.sent.map((_, i) => i));
    const selectors = h.sent.flatMap((s) => s.batch.events).flatMap((e) => (e.type === 'click' ? [e.selector] : []));
    assert.equal(selectors.length, 19);
    assert.ok(selectors.every((s, i) => s.endsWith(`button:nth-of-type(${i + 1})`)), 'order kept');
  });

  it('sends a single oversized event alone rather than dropping it', async () => {
    const h = harness({ maxBodyBytes: 300 });
    h.t.push({ t: 'er', ts: h.clock.now, k: 'error', m: 'x'.repeat(1000) });
    h.t.flush();
    await settle();
    assert.equal(h.sent.length, 1);
    assert.equal(h.sent[0]?.batch.events.length, 1);
  });
});

describe('transport: failures', () => {
  it('on 429 waits Retry-After, then resends the same batch (same seq) before newer ones', async () => {
    const h = harness();
    h.answers.push(response(429, { 'Retry-After': '3' }));
    h.t.pageView('load');
    h.t.flush();
    await settle();
    h.t.push(click(h.clock.now));
    h.t.flush();
    await h.advance(2_000);
    h.t.flush();
    await settle();
    assert.equal(h.sent.length, 1, 'nothing more before Retry-After');

    await h.advance(1_000);
    await settle();
    await settle();
    assert.deepEqual(h.sent.map((s) => s.batch.seq), [0, 0, 1]);
    assert.deepEqual(h.sent[1]?.batch.events, h.sent[0]?.batch.events);
    assert.ok((h.sent[1]?.batch.clientTime ?? 0) > (h.sent[0]?.batch.clientTime ?? 0), 'clientTime is stamped per send');
  });

  it('retries network errors and 5xx with backoff, and drops a batch the api refused with 4xx', async () => {
    const h = harness();
    h.answers.push(new TypeError('Failed to fetch'), response(503), response(400));
    h.t.pageView('load');
    h.t.flush();
    await settle();
    await h.advance(2_000);
    await h.advance(4_000);
    await settle();
    assert.deepEqual(h.sent.map((s) => s.batch.seq), [0, 0, 0]);
    await h.advance(60_000);
    assert.equal(h.sent.length, 3, 'a 400 is not retried');
  });

  it('on 413 sends the batch again as two halves with fresh seqs; a lone event the api refuses is dropped', async () => {
    const h = harness({ maxEvents: 100 });
    h.answers.push(response(413));
    h.t.pageView('load');
    for (let i = 0; i < 3; i++) h.t.push({ t: 'ev', ts: h.clock.now, nm: `e${i}` });
    h.t.flush();
    await settle();
    await settle();
    await settle();
    assert.deepEqual(
      h.sent.map((s) => [s.batch.seq, s.batch.events.length]),
      [[0, 4], [1, 2], [2, 2]],
    );
    const h2 = harness();
    h2.answers.push(response(413));
    h2.t.pageView('load');
    h2.t.flush();
    await settle();
    await h2.advance(60_000);
    assert.equal(h2.sent.length, 1, 'one event cannot be split further');
  });

  it('stops for the page on 401/403/404 (unknown key, disabled project, origin refused)', async () => {
    const h = harness();
    h.answers.push(response(403));
    h.t.pageView('load');
    h.t.flush();
    await settle();
    h.t.push({ t: 'ev', ts: h.clock.now, nm: 'later' });
    h.t.flush();
    h.t.flush(true);
    await h.advance(60_000);
    assert.equal(h.sent.length, 1);
  });

  it('hands everything to sendBeacon when the page unloads, and falls back to fetch when it refuses', async () => {
    const h = harness();
    h.t.pageView('load');
    h.t.flush(true);
    assert.deepEqual(h.sent.map((s) => s.via), ['beacon']);
    h.beaconOk = false;
    h.t.push(click(h.clock.now));
    h.t.flush(true);
    await settle();
    assert.deepEqual(h.sent.map((s) => [s.via, s.batch.seq]), [['beacon', 0], ['fetch', 1]]);
  });

  it('never throws into the page, even when fetch or page info do', async () => {
    const broken = harness({
      fetch: () => {
        throw new Error('boom');
      },
    });
    assert.doesNotThrow(() => {
      broken.t.pageView('load');
      broken.t.push(click(broken.clock.now));
      broken.t.flush();
      broken.t.flush(true);
    });
    const blind = harness({
      pageInfo: () => {
        throw new Error('no window');
      },
    });
    assert.doesNotThrow(() => {
      blind.t.pageView('load');
      blind.t.flush();
      blind.t.stop();
    });
    await settle();
  });

  it('reads Retry-After as seconds or as an HTTP date, bounded', () => {
    const now = Date.UTC(2025, 0, 1);
    assert.equal(retryAfterMs('3', now), 3_000);
    assert.equal(retryAfterMs(new Date(now + 7_000).toUTCString(), now), 7_000);
    assert.equal(retryAfterMs(null, now), 10_000);
    assert.equal(retryAfterMs('soon', now), 10_000);
    assert.equal(retryAfterMs('-5', now), 10_000);
    assert.equal(retryAfterMs('86400', now), 600_000);
  });
});
