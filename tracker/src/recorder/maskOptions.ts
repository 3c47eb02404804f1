/**
 * rrweb options for each masking mode (table in docs/tracker.md). Input values are always masked; password,
 * payment-card and hidden inputs stay masked even inside `data-loupe-unmask`; `data-loupe-mask` always masks.
 */
import type { MaskingMode } from '@loupe/contract/browser';
import { maskSensitiveWords, scrub, stars } from '../mask.ts';

export interface MaskOptions {
  maskAllInputs: true;
  maskInputFn: (text: string, el: HTMLElement) => string;
  maskTextSelector: string;
  maskTextFn: (text: string, el: HTMLElement | null) => string;
  blockSelector: string | undefined;
}

/** Whether a document or shadow root contains a marked region (`data-loupe-mask` or `data-loupe-unmask`). */
export type RegionMarks = (root: Node) => boolean;

const MARKED = '[data-loupe-mask],[data-loupe-unmask]';
const NOT_SPACE = /\S/;
const DOCUMENT = 9;
const FRAGMENT = 11;

/**
 * Answers whether a root contains a marked region, remembered until the current task's microtasks run. The recorder
 * asks for every text node of a snapshot, and most pages mark nothing: one querySelector per root then replaces an
 * ancestor walk per text node. The DOM cannot change while rrweb's synchronous snapshot or mutation callback runs,
 * and any later change reaches rrweb in a mutation callback queued after the reset below.
 */
export function markedRegions(): RegionMarks {
  let byRoot: Map<Node, boolean> | null = null;
  return (root) => {
    if (!byRoot) {
      byRoot = new Map();
      queueMicrotask(() => (byRoot = null));
    }
    let marks = byRoot.get(root);
    if (marks === undefined) {
      // A detached subtree's root is an element, which querySelector does not test itself: walk as before.
      marks = !(root.nodeType === DOCUMENT || root.nodeType === FRAGMENT) || (root as ParentNode).querySelector(MARKED) !== null;
      byRoot.set(root, marks);
    }
    return marks;
  };
}

/**
 * The page-text rule outside marked regions (`title`: the text is a `<title>` element's, or one of its attributes):
 * what `maskTextFn` answers for an element whose root marks no region.
 */
export function plainPageText(mode: MaskingMode): (text: string, title: boolean) => string {
  return (text, title) => {
    // The title follows the rule of titles (e-mail addresses, and digit runs outside relaxed), then of page text.
    if (title) text = scrub(text, mode);
    if (mode === 'strict') return stars(text);
    return mode === 'balanced' ? maskSensitiveWords(text) : text;
  };
}

/** rrweb's masking options for `mode`; `marks` is shared with the attribute pass so each root is queried once a task. */
export function maskOptions(mode: MaskingMode, marks: RegionMarks = markedRegions()): MaskOptions {
  const plain = plainPageText(mode);
  return {
    maskAllInputs: true,
    // Form values are masked in every mode (typed or pre-filled); unmasking never applies to them.
    maskInputFn: (text) => stars(text),
    // Relaxed mode only masks marked regions (and scrubs the title); the other modes see every text node.
    maskTextSelector: mode === 'relaxed' ? '[data-loupe-mask],[data-loupe-mask] *,title' : '*',
    maskTextFn: (text, el) => {
      // Whitespace between elements, a large share of a page's text nodes, reads the same under every rule.
      if (!NOT_SPACE.test(text)) return text;
      // For the usual text outside any marked region: no ancestor walk when its root marks nothing, else one walk
      // instead of two (this runs for every text node).
      if (el && marks(el.getRootNode()) && el.closest(MARKED)) {
        if (el.closest('[data-loupe-mask]')) return stars(text);
        if (el.closest('[data-loupe-unmask]')) return el.tagName === 'TITLE' ? scrub(text, mode) : text;
      }
      return plain(text, !!el && el.tagName === 'TITLE');
    },
    // Images are blocked in strict mode (an empty box of the same size). Hidden inputs need no block: their value
    // attribute is masked like every form value (maskAttributes.ts), and an unused selector costs a matches() per node.
    blockSelector: mode === 'strict' ? 'img,picture,video,canvas,svg image,[style*="background-image"]' : undefined,
  };
}
