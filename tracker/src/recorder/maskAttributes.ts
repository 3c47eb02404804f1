/**
 * Attribute values in rrweb events. rrweb 2.1.6 has no attribute hook: it records `alt`, `title`, `placeholder`,
 * `aria-label`, radio values, `mailto:` links … as the page has them, in every mode. This pass rewrites them in the
 * full snapshot and in mutation events before they are buffered, by the masking table (docs/tracker.md):
 * - text a visitor sees or hears (`alt`, `title`, `placeholder`, `label`, `aria-label` & co, button values) is page
 *   text: the same rule, regions and unmasking as text nodes;
 * - `value` of form fields (input, select, textarea, option) is always masked, like typed values;
 * - link and form targets follow the URL rule (e-mail addresses, digit runs outside relaxed), like click targets;
 * - `data-*` and inline handlers are not shown but often carry ids or e-mail addresses: scrubbed like titles.
 */
import type { MaskingMode } from '@loupe/contract/browser';
import { scrub, scrubUrl, stars } from '../mask.ts';

type Attributes = Record<string, unknown>;
/** The parts of rrweb's serialized node this pass reads. */
interface SerializedNode {
  type: number;
  id: number;
  tagName?: string;
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

const ELEMENT = 2;
const FORM_FIELD = /^(input|select|textarea|option)$/;
const BUTTON = /^(submit|button|reset)$/;
const TEXT = /^(alt|title|placeholder|label|aria-(label|description|valuetext|roledescription|placeholder))$/;
const HIDDEN_TEXT = /^(data-(?!loupe-)|on)/;

/**
 * Answers a function that rewrites an rrweb event's attribute values in place. `pageText` is the recorder's text
 * rule (`maskTextFn`); `getNode` finds the live element of a serialized id (for its type and its marked regions).
 */
export function attributeMasker(
  mode: MaskingMode,
  pageText: (text: string, el: HTMLElement | null) => string,
  getNode: (id: number) => Node | null,
): (event: RrwebEvent) => void {
  function fix(attrs: Attributes, id: number, knownTag?: string): void {
    let el: HTMLElement | null | undefined;
    // The live element is looked up only for the few attributes that need it.
    const live = (): HTMLElement | null => (el === undefined ? (el = getNode(id) as HTMLElement | null) : el);
    for (const name in attrs) {
      const value = attrs[name];
      if (typeof value !== 'string' || !value) continue;
      if (name === 'value' || name === 'href' || name === 'action') {
        // Only these depend on the element's tag (a mutation record does not carry it).
        const tag = knownTag ?? live()?.tagName.toLowerCase() ?? '';
        if (name === 'value') {
          const button = tag === 'input' && BUTTON.test((live() as HTMLInputElement | null)?.type ?? '');
          attrs[name] = FORM_FIELD.test(tag) && !button ? stars(value) : pageText(value, live());
        } else if (name === 'href' ? tag === 'a' || tag === 'area' : tag === 'form') attrs[name] = scrubUrl(value, mode);
      } else if (TEXT.test(name)) attrs[name] = pageText(value, live());
      else if (HIDDEN_TEXT.test(name)) attrs[name] = scrub(value, mode);
    }
  }

  function walk(node: SerializedNode): void {
    if (node.type === ELEMENT && node.attributes) fix(node.attributes, node.id, node.tagName);
    if (node.childNodes) for (const child of node.childNodes) walk(child);
  }

  return (event) => {
    if (event.type === 2) walk((event.data as { node: SerializedNode }).node);
    else if (event.type === 3) {
      const d = event.data as MutationData;
      if (d.source !== 0) return;
      if (d.adds) for (const add of d.adds) walk(add.node);
      if (d.attributes) for (const change of d.attributes) fix(change.attributes, change.id);
    }
  };
}
