/**
 * Masking rules shared by the eager core (URLs, titles, error messages) and the recorder (page text).
 * See the table in docs/tracker.md. Everything here runs in the browser: masked content never leaves it.
 */
import type { MaskingMode } from '@loupe/contract/browser';

const EMAIL = /[^\s@/?#&=:;,<>"'()]+@[^\s@/?#&=:;,<>"'()]+\.[a-z]{2,}/gi;
/** Two or more digits, possibly separated by one space, dot, dash, slash or parenthesis (cards, phones, ids). */
const DIGIT_RUN = /\+?\(?\d(?:[ .()\/-]?\d)+/g;
/** Phone-like: 6+ digits with separators, an optional leading +. */
const PHONE = /\+?\(?\d[\d ().-]{4,}\d/g;
/** A word containing a digit (house numbers, order numbers, postcodes, "4242"). */
const WORD_WITH_DIGIT = /[^\s]*\d[^\s]*/g;

/**
 * Scrubs text the eager core sends (URLs, titles, error messages and stacks): e-mail addresses always; digit runs
 * of two or more in `strict` and `balanced`.
 */
export function scrub(text: string, mode: MaskingMode): string {
  const out = text.replace(EMAIL, '*@*');
  return mode === 'relaxed' ? out : out.replace(DIGIT_RUN, '*');
}

/** URLs keep their origin (hosts and ports are not personal data and make the URL useful); the rest is scrubbed. */
export function scrubUrl(url: string, mode: MaskingMode): string {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  const head = origin ? origin[0] : '';
  return head + scrub(url.slice(head.length), mode);
}

/** Same length of `*`, keeping whitespace, so a replay keeps its layout. */
export const stars = (text: string): string => text.replace(/\S/g, '*');

/** Every pattern of maskSensitiveWords needs an `@` or a digit. */
const MAY_BE_SENSITIVE = /[\d@]/;

/**
 * Balanced mode's page text: e-mail addresses, phone numbers and words with digits become stars. Text with neither
 * an `@` nor a digit (most of a page, and every whitespace-only node) is answered after one scan instead of three
 * replaces: the recorder calls this for every text node of a snapshot.
 */
export const maskSensitiveWords = (text: string): string =>
  MAY_BE_SENSITIVE.test(text) ? text.replace(EMAIL, stars).replace(PHONE, stars).replace(WORD_WITH_DIGIT, stars) : text;
