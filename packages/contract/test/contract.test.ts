import assert from 'node:assert/strict';
import { CONTRACT_VERSION, EVENT_CODES, EventType, parseBatch, toWire, type LoupeEvent } from '../src/index.ts';
import type { WireBatch, WireEvent } from '../src/wire.ts';
import { makeBatch, newClientId } from '../src/testing.ts';

const key = 'pk_test_12345678';
const t = 1_760_000_000_000;
const pv = newClientId();

/** One event of every type, with every optional field set, so the round trip covers every key. */
const everyEvent: LoupeEvent[] = [
  { type: 'pageView', time: t, pageViewId: pv, url: 'https://s.example/a', referrer: 'https://g.example/', title: 'A', navigation: 'push' },
  { type: 'click', time: t + 1, x: 1, y: 2, pageX: 3, pageY: 4, selector: 'body > a', relX: 0.1, relY: 0.9, interactive: true, href: 'https://s.example/b' },
  { type: 'scroll', time: t + 2, y: 500, depth: 42.5 },
  { type: 'resize', time: t + 3, width: 800, height: 600 },
  { type: 'visibility', time: t + 4, visible: false },
  { type: 'error', time: t + 5, kind: 'rejection', message: 'boom', source: 'https://s.example/app.js', line: 3, column: 9, stack: 'at x' },
  { type: 'tag', time: t + 6, key: 'plan', value: ['gold', 'eu'] },
  { type: 'custom', time: t + 7, name: 'added_to_cart' },
  { type: 'identify', time: t + 8, idHash: 'a'.repeat(64) },
  { type: 'consent', time: t + 9, granted: true },
  { type: 'checkout', time: t + 10, step: 'payment', token: 'tok1', value: 12.5, currency: 'EUR' },
  { type: 'recording', time: t + 11, chunk: 3, bytes: 60000 },
];

describe('event contract', () => {
  it('covers every event type in the round-trip fixture', () => {
    assert.deepEqual(new Set(everyEvent.map((e) => e.type)), new Set(Object.values(EventType)));
  });

  it('round-trips every event type through the wire form unchanged', () => {
    const batch = makeBatch({ projectKey: key, events: everyEvent, clientTime: t + 20 });
    const wire = JSON.parse(JSON.stringify(toWire(batch)));
    const parsed = parseBatch(wire);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.batch, batch);
  });

  it('the wire types (WireEventOf, WireBatch) the browser builds by hand agree with toWire', () => {
    const batch = makeBatch({ projectKey: key, events: everyEvent, clientTime: t + 20 });
    // Typed as the browser builds it: a key the types and the key tables disagree on fails to compile or to compare.
    const wire: WireBatch = JSON.parse(JSON.stringify(toWire(batch)));
    const byHand: WireEvent[] = [
      { t: 'pv', ts: t, pi: pv, u: 'https://s.example/a', r: 'https://g.example/', ti: 'A', nv: 'push' },
      { t: 'cl', ts: t + 1, x: 1, y: 2, px: 3, py: 4, s: 'body > a', rx: 0.1, ry: 0.9, i: true, h: 'https://s.example/b' },
      { t: 'sc', ts: t + 2, y: 500, d: 42.5 },
      { t: 'rs', ts: t + 3, w: 800, h: 600 },
      { t: 'vs', ts: t + 4, vi: false },
      { t: 'er', ts: t + 5, k: 'rejection', m: 'boom', src: 'https://s.example/app.js', l: 3, c: 9, st: 'at x' },
      { t: 'tg', ts: t + 6, k: 'plan', v: ['gold', 'eu'] },
      { t: 'ev', ts: t + 7, nm: 'added_to_cart' },
      { t: 'id', ts: t + 8, h: 'a'.repeat(64) },
      { t: 'cn', ts: t + 9, g: true },
      { t: 'co', ts: t + 10, st: 'payment', tk: 'tok1', v: 12.5, cu: 'EUR' },
      { t: 'rc', ts: t + 11, ch: 3, b: 60000 },
    ];
    assert.deepEqual(wire.e, byHand);
    assert.deepEqual(Object.keys(wire.vp).sort(), ['h', 'w']);
  });

  it('uses short keys on the wire', () => {
    const wire = toWire(makeBatch({ projectKey: key, events: [everyEvent[1]!] }));
    assert.equal(wire.k, key);
    assert.equal(wire.v, CONTRACT_VERSION);
    const [click] = wire.e as Record<string, unknown>[];
    assert.equal(click!.t, EVENT_CODES.click);
    assert.equal(click!.s, 'body > a');
    assert.equal('selector' in click!, false);
  });

  it('names the offending field on invalid input', () => {
    const wire = toWire(makeBatch({ projectKey: key, events: everyEvent }));
    (wire.e as Record<string, unknown>[])[1]!.rx = 7;
    const parsed = parseBatch(wire);
    assert.equal(parsed.ok, false);
    assert.ok(!parsed.ok && parsed.path === 'events[1].relX', !parsed.ok ? parsed.path : '');
  });

  it('rejects an unknown event code by naming it', () => {
    const wire = toWire(makeBatch({ projectKey: key }));
    (wire.e as Record<string, unknown>[]).push({ t: 'zz', ts: t });
    const parsed = parseBatch(wire);
    assert.ok(!parsed.ok && parsed.path === 'events[1].type', JSON.stringify(parsed));
  });

  it('rejects a contract version newer than this api knows', () => {
    const wire = toWire(makeBatch({ projectKey: key }));
    wire.v = CONTRACT_VERSION + 1;
    const parsed = parseBatch(wire);
    assert.ok(!parsed.ok && parsed.path === 'version');
  });

  it('ignores unknown wire keys from newer trackers', () => {
    const batch = makeBatch({ projectKey: key });
    const wire = { ...toWire(batch), zz: 1 };
    const parsed = parseBatch(wire);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.batch, batch);
  });

  it('rejects non-objects with a path of (body)', () => {
    const parsed = parseBatch([1, 2]);
    assert.ok(!parsed.ok && parsed.path === '(body)');
  });
});

describe('contract versions', () => {
  it('upgrades an older wire batch step by step before validation', async () => {
    const { fromWire, batchSchema } = await import('../src/index.ts');
    const current = toWire(makeBatch({ projectKey: key }));
    // a pretend version 0 that named the project key "key" and had no version upgrades of its own
    const v0 = { ...current, v: CONTRACT_VERSION - 1, key: current.k };
    delete (v0 as Record<string, unknown>).k;
    const upgrades = { [CONTRACT_VERSION - 1]: (w: Record<string, unknown>) => {
      const { key: k, ...rest } = w;
      return { ...rest, k, v: CONTRACT_VERSION };
    } };
    assert.equal(batchSchema.safeParse(fromWire(v0)).success, false, 'without the upgrader the old batch is invalid');
    const upgraded = batchSchema.safeParse(fromWire(v0, upgrades));
    assert.ok(upgraded.success);
    assert.equal(upgraded.data.projectKey, key);
  });
});
