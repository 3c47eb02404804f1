/**
 * Attribute values in rrweb events. rrweb 2.1.6 has no attribute hook: it records `alt`, `title`, `placeholder`,
 * `aria-label`, radio values, `mailto:` links … as the page has them, in every mode. This pass rewrites them in the
 * full snapshot and in mutation events before they are serialized, by the masking table (docs/tracker.md):
 * - text a visitor sees or hears (`alt`, `title`, `placeholder`, `label`, `aria-label` & co, button values) is page
 *   text: the same rule, regions and unmasking as text nodes;
 * - `value` of form fields (input, select, textarea, option) is always masked, like typed values;
 * - link and form targets follow the URL rule (e-mail addresses, digit runs outside relaxed), like click targets;
 * - `data-*` and inline handlers are not shown but often carry ids or e-mail addresses: scrubbed like titles.
 */
import type { MaskingMode } from '@loupe/contract/browser';
import { scrub, scrubUrl, stars } from '../mask.ts';
import type { RegionMarks } from './maskOptions.ts';

type Attributes = Record<string, unknown>;
/** The parts of rrweb's serialized node this pass reads. */
interface SerializedNode {
  type: number;
  id: number;
  tagName?: string;
  isSVG?: boolean;
  isShadowHost?: boolean;
  attributes?: Attributes;
  childNodes?: SerializedNode[];
}
interface MutationData {
  source: number;
  adds?: { node: SerializedNode }[];
  attributes?: { id: number; attributes: Attributes }[];
}
/** The rrweb event fields read here (type 2: full snapshot, 3: incremental, source 0: mutation). */
export interface RrwebEvent {
  type: number;
  data?: unknown;
}

export interface AttributeMaskerOptions {
  mode: MaskingMode;
  /** The recorder's text rule (`maskTextFn`), regions and unmasking included. */
  pageText: (text: string, el: HTMLElement | null) => string;
  /** The same rule where the element's root marks no region (`plainPageText`): needs no live element. */
  plainText: (text: string, title: boolean) => string;
  /** The live node of a serialized id (rrweb's mirror): for an element's type and its marked regions. */
  getNode: (id: number) => Node | null;
  marks: RegionMarks;
}

const DOCUMENT = 0;
const ELEMENT = 2;
const FORM_FIELD = /^(input|select|textarea|option)$/;
const BUTTON = /^(submit|button|reset)$/;
const TEXT = 1;
const VALUE = 2;
const URL = 3;
/** Most attribute names (class, id, style, src …) miss this map and both prefixes: two cheap tests, no regex. */
const RULES = new Map<string, number>([
  ...['alt', 'title', 'placeholder', 'label'].map((n): [string, number] => [n, TEXT]),
  ...['label', 'description', 'valuetext', 'roledescription', 'placeholder'].map((n): [string, number] => [`aria-${n}`, TEXT]),
  ['value', VALUE],
  ['href', URL],
  ['action', URL],
]);
/** An input's `type` attribute as its `type` property reads a known type (ASCII case-insensitive). */
const typeOf = (attrs: Attributes): string => String(attrs.type ?? '').toLowerCase();
const hiddenText = (name: string): boolean => name.startsWith('on') || (name.startsWith('data-') && !name.startsWith('data-loupe-'));

/**
 * Answers a function that masks an rrweb event's attribute values in place. For a full snapshot of a page whose
 * document and shadow roots mark no region, it answers the rewrite instead, to run before the event is serialized:
 * then the rewrite needs nothing from the live DOM (the tag and the input type are in the serialized node), so
 * elements removed meanwhile are masked all the same, and the snapshot's task, the recorder's longest, is shorter.
 */
export function attributeMasker(o: AttributeMaskerOptions): (event: RrwebEvent) => (() => void) | undefined {
  const { mode, pageText, plainText, getNode, marks } = o;

  /** `node` for the full snapshot (tag and input type known), `id` alone for a mutation's attribute change. */
  function fix(attrs: Attributes, id: number, node: SerializedNode | null, live: boolean): void {
    let el: HTMLElement | null | undefined;
    // The live element is looked up only for the few attributes that need it.
    const element = (): HTMLElement | null => (el === undefined ? (el = getNode(id) as HTMLElement | null) : el);
    const tagOf = (): string => node?.tagName ?? element()?.tagName.toLowerCase() ?? '';
    // What `el.tagName === 'TITLE'` answers in maskTextFn: an HTML <title>, not an SVG one.
    const text = (value: string): string => (live ? pageText(value, element()) : plainText(value, tagOf() === 'title' && !node?.isSVG));
    for (const name in attrs) {
      const value = attrs[name];
      if (typeof value !== 'string' || !value) continue;
      const rule = RULES.get(name);
      if (rule === TEXT) attrs[name] = text(value);
      else if (rule === VALUE) {
        const tag = tagOf();
        // Outside the live DOM, the attribute says what the `type` property would (needsLiveDom checked).
        const type = live ? (element() as HTMLInputElement | null)?.type : typeOf(attrs);
        const button = tag === 'input' && BUTTON.test(type ?? '');
        attrs[name] = FORM_FIELD.test(tag) && !button ? stars(value) : text(value);
      } else if (rule === URL) {
        if (name === 'href' ? tagOf() === 'a' || tagOf() === 'area' : tagOf() === 'form') attrs[name] = scrubUrl(value, mode);
      } else if (hiddenText(name)) attrs[name] = scrub(value, mode);
    }
  }

  function walk(node: SerializedNode, live: boolean): void {
    if (node.type === ELEMENT && node.attributes) fix(node.attributes, node.id, node, live);
    if (node.childNodes) for (const child of node.childNodes) walk(child, live);
  }

  /**
   * Whether the snapshot needs the live DOM to be masked: a shadow root marks a region (or cannot be checked;
   * `marks(document)` does not look inside shadow roots), or the serialized node says less than the element about
   * what decides a rule — the `type` property of an input outside the HTML namespace, a `<title>` that is not HTML's.
   */
  function needsLiveDom(node: SerializedNode): boolean {
    if (node.isShadowHost) {
      const root = (getNode(node.id) as Element | null)?.shadowRoot;
      if (!root || marks(root)) return true;
    }
    if (node.tagName === 'input' && typeof node.attributes?.value === 'string') {
      const el = getNode(node.id) as HTMLInputElement | null;
      if (!el || BUTTON.test(el.type ?? '') !== BUTTON.test(typeOf(node.attributes))) return true;
    } else if (node.tagName === 'title' && node.attributes) {
      if ((getNode(node.id) as Element | null)?.tagName !== (node.isSVG ? 'title' : 'TITLE')) return true;
    }
    // A document inside the snapshot (a same-origin iframe's) has regions of its own that marks(document) did not see.
    if (node.childNodes) for (const child of node.childNodes) if (child.type === DOCUMENT || needsLiveDom(child)) return true;
    return false;
  }

  return (event) => {
    if (event.type === 2) {
      const root = (event.data as { node: SerializedNode }).node;
      if (marks(document) || needsLiveDom(root)) walk(root, true);
      else return () => walk(root, false);
    } else if (event.type === 3) {
      const d = event.data as MutationData;
      if (d.source !== 0) return;
      if (d.adds) for (const add of d.adds) walk(add.node, true);
      if (d.attributes) for (const change of d.attributes) fix(change.attributes, change.id, null, true);
    }
    return undefined;
  };
}
