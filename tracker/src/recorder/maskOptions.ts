/**
 * rrweb options for each masking mode (table in docs/tracker.md). Input values are always masked; password,
 * payment-card and hidden inputs stay masked even inside `data-loupe-unmask`; `data-loupe-mask` always masks.
 */
import type { MaskingMode } from '@loupe/contract/browser';
import { maskSensitiveWords, stars } from '../mask.ts';

export interface MaskOptions {
  maskAllInputs: true;
  maskInputFn: (text: string, el: HTMLElement) => string;
  maskTextSelector: string;
  maskTextFn: (text: string, el: HTMLElement | null) => string;
  blockSelector?: string;
}

export function maskOptions(mode: MaskingMode): MaskOptions {
  const inMask = (el: Element | null): boolean => !!el && !!el.closest('[data-loupe-mask]');
  const inUnmask = (el: Element | null): boolean => !!el && !!el.closest('[data-loupe-unmask]');
  return {
    maskAllInputs: true,
    // Form values are masked in every mode (typed or pre-filled); unmasking never applies to them.
    maskInputFn: (text) => stars(text),
    // Relaxed mode only masks marked regions; the other modes see every text node and decide in maskTextFn.
    maskTextSelector: mode === 'relaxed' ? '[data-loupe-mask],[data-loupe-mask] *' : '*',
    maskTextFn: (text, el) => {
      if (inMask(el)) return stars(text);
      if (inUnmask(el)) return text;
      if (mode === 'strict') return stars(text);
      return mode === 'balanced' ? maskSensitiveWords(text) : text;
    },
    blockSelector: mode === 'strict' ? 'img,picture,video,canvas,svg image,[style*="background-image"]' : undefined,
  };
}
