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

const MARKED = '[data-loupe-mask],[data-loupe-unmask]';

/**
 * Whether the document (or shadow root) holding `el` contains a marked region, remembered until the current task's
 * microtasks run. The recorder asks for every text node of a snapshot, and most pages mark nothing: one
 * querySelector per root then replaces an ancestor walk per text node. The DOM cannot change while rrweb's
 * synchronous snapshot or mutation callback runs, and any later change reaches rrweb in a mutation callback queued
 * after the reset below.
 */
function markedRegions(): (el: Element) => boolean {
  let byRoot: Map<Node, boolean> | null = null;
  return (el) => {
    if (!byRoot) {
      byRoot = new Map();
      queueMicrotask(() => (byRoot = null));
    }
    const root = el.getRootNode() as Document | ShadowRoot;
    let marks = byRoot.get(root);
    if (marks === undefined) {
      // A detached subtree's root is an element, which querySelector does not test itself: walk as before.
      marks = !(root.nodeType === Node.DOCUMENT_NODE || root.nodeType === Node.DOCUMENT_FRAGMENT_NODE) || root.querySelector(MARKED) !== null;
      byRoot.set(root, marks);
    }
    return marks;
  };
}

export function maskOptions(mode: MaskingMode): MaskOptions {
  const inMask = (el: Element | null): boolean => !!el && !!el.closest('[data-loupe-mask]');
  const inUnmask = (el: Element | null): boolean => !!el && !!el.closest('[data-loupe-unmask]');
  const anyMarked = markedRegions();
  // For the usual text outside any marked region: no ancestor walk when its root marks nothing, else one walk
  // instead of two (this runs for every text node).
  const marked = (el: Element | null): boolean => !!el && anyMarked(el) && !!el.closest(MARKED);
  return {
    maskAllInputs: true,
    // Form values are masked in every mode (typed or pre-filled); unmasking never applies to them.
    maskInputFn: (text) => stars(text),
    // Relaxed mode only masks marked regions (and scrubs the title); the other modes see every text node.
    maskTextSelector: mode === 'relaxed' ? '[data-loupe-mask],[data-loupe-mask] *,title' : '*',
    maskTextFn: (text, el) => {
      const m = marked(el);
      if (m && inMask(el)) return stars(text);
      // The title follows the rule of titles (e-mail addresses, and digit runs outside relaxed), then of page text.
      if (el && el.tagName === 'TITLE') text = scrub(text, mode);
      if (m && inUnmask(el)) return text;
      if (mode === 'strict') return stars(text);
      return mode === 'balanced' ? maskSensitiveWords(text) : text;
    },
    // Images are blocked in strict mode (an empty box of the same size). Hidden inputs need no block: their value
    // attribute is masked like every form value (maskAttributes.ts), and an unused selector costs a matches() per node.
    blockSelector: mode === 'strict' ? 'img,picture,video,canvas,svg image,[style*="background-image"]' : undefined,
  };
}
