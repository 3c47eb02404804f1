import assert from 'node:assert/strict';
import type { MaskingMode } from '@loupe/contract/browser';
import { createUploader } from '../src/recorder/chunks.ts';
import { attributeMasker, type RrwebEvent } from '../src/recorder/maskAttributes.ts';
import { maskOptions, plainPageText } from '../src/recorder/maskOptions.ts';

/** A live element as the masking code reads it: tag, input type, shadow root, regions (none unless `marked`). */
interface FakeElement {
  tagName: string;
  type?: string;
  shadowRoot?: { marked: boolean };
  closest(): unknown;
  getRootNode(): unknown;
}
const el = (tagName: string, extra: Partial<FakeElement> = {}): FakeElement => ({ tagName, closest: () => null, getRootNode: () => doc, ...extra });
const doc = { nodeType: 9 };

type SNode = { type: number; id: number; tagName?: string; isSVG?: boolean; isShadowHost?: boolean; attributes?: Record<string, unknown>; childNodes?: SNode[] };
const SECRET = 'ann@example.com 4242 4242';
/** A snapshot with every attribute rule, and the live elements it was serialized from. */
function snapshot(): { event: RrwebEvent; live: Map<number, FakeElement> } {
  const live = new Map<number, FakeElement>();
  let id = 1;
  const node = (tag: string, attributes: Record<string, unknown>, element: FakeElement, isSVG?: boolean): SNode => {
    live.set(++id, element);
    return { type: 2, id, tagName: tag, attributes, childNodes: [], ...(isSVG ? { isSVG } : {}) };
  };
  const input = (type: string | undefined, liveType: string): SNode =>
    node('input', { ...(type === undefined ? {} : { type }), value: SECRET, title: SECRET }, el('INPUT', { type: liveType }));
  const children = [
    node('span', { class: 'c', id: 'x', style: 'color:red', title: SECRET, alt: SECRET, 'aria-label': SECRET, 'aria-hidden': 'true' }, el('SPAN')),
    input('SUBMIT', 'submit'), input('reset', 'reset'), input('radio', 'radio'), input('hidden', 'hidden'), input(undefined, 'text'),
    input('submit ', 'text'), input('Button', 'button'),
    node('button', { value: SECRET, 'data-id': SECRET, 'data-loupe-note': 'note 4242', onclick: SECRET, one: SECRET }, el('BUTTON')),
    node('option', { value: SECRET, label: SECRET }, el('OPTION')),
    node('a', { href: `mailto:${SECRET}`, placeholder: SECRET }, el('A')),
    node('area', { href: `https://shop.example/${SECRET}` }, el('AREA')),
    node('link', { href: 'https://shop.example/4242.css' }, el('LINK')),
    node('form', { action: `/orders/${SECRET}`, href: 'note 4242' }, el('FORM')),
    node('title', { title: SECRET }, el('TITLE')),
    node('title', { title: SECRET }, el('title'), true),
    node('div', { 'aria-description': SECRET, 'aria-valuetext': 7, label: '' }, el('DIV')),
  ];
  children[0]!.childNodes = [{ type: 3, id: 99 }];
  const html = node('html', {}, el('HTML'));
  html.childNodes = children;
  return { event: { type: 2, data: { node: { type: 0, id: 1, childNodes: [html] } } }, live };
}

function masker(mode: MaskingMode, live: Map<number, FakeElement>, documentMarks: boolean) {
  const marks = (root: unknown): boolean => (root === doc ? documentMarks : (root as { marked: boolean }).marked);
  return attributeMasker({
    mode,
    pageText: maskOptions(mode, marks).maskTextFn,
    plainText: plainPageText(mode),
    getNode: (id) => (live.get(id) ?? null) as unknown as globalThis.Node | null,
    marks,
  });
}

describe('recorder: attribute masking of the full snapshot', () => {
  before(() => void ((globalThis as { document?: unknown }).document = doc));
  after(() => void delete (globalThis as { document?: unknown }).document);

  for (const mode of ['strict', 'balanced', 'relaxed'] as const) {
    it(`${mode}: the rewrite left for later, without the live DOM, masks exactly as the live pass does`, () => {
      const a = snapshot();
      const b = snapshot();
      const before = JSON.stringify(b.event);
      // Regions marked in the document: masked in place, with the live elements (which mark nothing here).
      assert.equal(masker(mode, a.live, true)(a.event), undefined);
      const later = masker(mode, b.live, false)(b.event);
      assert.equal(typeof later, 'function');
      assert.equal(JSON.stringify(b.event), before, 'nothing is rewritten inside the snapshot task');
      b.live.clear(); // every element removed (rrweb's mirror forgets them) before the rewrite runs
      later!();
      assert.deepEqual(b.event, a.event);
      assert.notEqual(JSON.stringify(a.event), before);
      // Relaxed mode shows page text; form values are masked in every mode.
      if (mode !== 'relaxed') assert.ok(!JSON.stringify(a.event).includes('ann@example.com'), JSON.stringify(a.event));
      assert.match(JSON.stringify(a.event), /"type":"radio","value":"\*+ \*+ \*+"/);
    });
  }

  it('masks in place when the document marks a region, with the element\'s region', () => {
    const s = snapshot();
    s.live.get(2)!.closest = () => ({}); // the span is inside a data-loupe-mask region
    assert.equal(masker('relaxed', s.live, true)(s.event), undefined);
    assert.match(JSON.stringify(s.event), /"title":"\*+ \*+ \*+","alt":"\*+ \*+ \*+"/);
  });

  it('masks inside the task when a shadow root marks a region, or when an element says more than its node', () => {
    const cases: [string, (s: ReturnType<typeof snapshot>) => void][] = [
      ['a marked shadow root', (s) => addHost(s, { marked: true })],
      ['a shadow host no longer found', (s) => addHost(s, undefined)],
      ['an input outside the HTML namespace', (s) => void (s.live.get(3)!.type = undefined)],
      ['a <title> outside the HTML namespace', (s) => void (s.live.get(16)!.tagName = 'title')],
    ];
    for (const [what, change] of cases) {
      const s = snapshot();
      change(s);
      assert.equal(masker('balanced', s.live, false)(s.event), undefined, what);
      assert.ok(!JSON.stringify(s.event).includes('ann@example.com'), `${what}: not masked in place`);
    }
    const s = snapshot();
    addHost(s, { marked: false });
    assert.equal(typeof masker('balanced', s.live, false)(s.event), 'function', 'an unmarked shadow root needs no live DOM');
  });
});

function addHost(s: ReturnType<typeof snapshot>, shadowRoot: { marked: boolean } | undefined): void {
  const html = (s.event.data as { node: SNode }).node.childNodes![0]!;
  html.childNodes!.push({ type: 2, id: 500, tagName: 'div', isShadowHost: true, attributes: {}, childNodes: [] });
  if (shadowRoot) s.live.set(500, el('DIV', { shadowRoot }));
}

describe('recorder: uploads', () => {
  it('finish the masking an event was added with before it is serialized', async () => {
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      bodies.push(String(init.body));
      return new Response('{}');
    }) as typeof fetch;
    try {
      const u = createUploader({
        endpoint: 'https://loupe.test/record', key: 'k', ids: () => ({ sessionId: 's', visitorId: 'v', pageViewId: 'p' }),
        push: () => undefined, onRefused: () => undefined, compress: async () => null,
      });
      const event = { type: 2, data: { title: SECRET } };
      u.add(event, 1, () => void (event.data.title = '*'));
      u.hide();
      assert.equal(bodies.length, 1);
      assert.ok(bodies[0]!.includes('"title":"*"') && !bodies[0]!.includes('ann@'), bodies[0]);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
