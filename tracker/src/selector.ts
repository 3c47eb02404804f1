import { MAX_SELECTOR_LENGTH } from '@loupe/contract/browser';

/** Elements a visitor can expect to react to a click. */
const INTERACTIVE =
  'a[href],button,input,select,textarea,label,summary,[role=button],[role=link],[role=tab],[role=menuitem],[role=checkbox],[onclick],[contenteditable=""],[contenteditable=true]';

/** Names that survive a deploy: plain identifiers without long digit runs (those are usually generated). */
const STABLE_NAME = /^[A-Za-z_-][\w-]*$/;
const GENERATED = /\d{3,}/;
const stable = (name: string): boolean => STABLE_NAME.test(name) && !GENERATED.test(name);

/** Whether the element or one of its ancestors is interactive. */
export const isInteractive = (el: Element): boolean => el.closest(INTERACTIVE) !== null;

function step(el: Element): string {
  let part = el.tagName.toLowerCase();
  // getAttribute, not className: on SVG elements className is an object.
  const classes = (el.getAttribute('class') ?? '').split(/\s+/).filter(stable).slice(0, 2);
  if (classes.length) part += `.${classes.join('.')}`;
  // Siblings are walked, not copied: a click in a grid of hundreds of cards must not allocate arrays of them.
  let index = 0;
  let same = 0;
  for (let s = el.parentElement?.firstElementChild; s; s = s.nextElementSibling) {
    if (s.tagName === el.tagName && ++same && s === el) index = same;
  }
  return same > 1 ? `${part}:nth-of-type(${index})` : part;
}

/**
 * A CSS selector path from the nearest element with a stable id (or from below `body`) down to `el`, e.g.
 * `#products > article.product:nth-of-type(2) > button.add`. Heatmaps aggregate clicks by it, so it must not
 * depend on anything that changes between page loads.
 */
export function selectorPath(el: Element): string {
  const parts: string[] = [];
  for (let node: Element | null = el; node && parts.length < 16; node = node.parentElement) {
    const tag = node.tagName.toLowerCase();
    if (tag === 'body' || tag === 'html') break;
    if (node.id && stable(node.id)) {
      parts.unshift(`#${node.id}`);
      break;
    }
    parts.unshift(step(node));
  }
  // Dropping ancestors keeps a valid (if less specific) selector; cutting the string would not.
  while (parts.length > 1 && parts.join(' > ').length > MAX_SELECTOR_LENGTH) parts.shift();
  return (parts.join(' > ') || 'body').slice(0, MAX_SELECTOR_LENGTH);
}
