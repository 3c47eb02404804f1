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

export function maskOptions(mode: MaskingMode): MaskOptions {
  const inMask = (el: Element | null): boolean => !!el && !!el.closest('[data-loupe-mask]');
  const inUnmask = (el: Element | null): boolean => !!el && !!el.closest('[data-loupe-unmask]');
  // One ancestor walk for the usual text outside any marked region, instead of two (it runs for every text node).
  const marked = (el: Element | null): boolean => !!el && !!el.closest('[data-loupe-mask],[data-loupe-unmask]');
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
