/**
 * Clicks, with a reaction signal for dead clicks: for REACTION_WINDOW_MS after a click the tracker watches for a
 * navigation, a DOM mutation, a scroll and a focus change, then sends the click with the strongest one seen
 * (`navigation` > `mutation` > `scroll` > `focus`), or `none`. The MutationObserver runs only while a click is
 * pending, so a page nobody clicks costs nothing.
 */
import { CLICK_REACTIONS, REACTION_WINDOW_MS, type ClickReaction, type WireEventOf } from '@loupe/contract/browser';
import { clipUrl } from '../pageInfo.ts';
import { isInteractive, selectorPath } from '../selector.ts';
import { listen, type CaptureContext } from './context.ts';

interface Pending {
  event: WireEventOf<'click'>;
  seen: Set<ClickReaction>;
  focus: Element | null;
  timer: ReturnType<typeof setTimeout>;
}

const clamp01 = (n: number): number => (n > 0 ? (n < 1 ? n : 1) : 0);
const round = (n: number): number => Math.round(n * 10) / 10;

export interface ClickCapture {
  /** A navigation (page view or page hide) is the reaction of every pending click, which leave now. */
  navigated(): void;
  scrolled(): void;
}

export function captureClicks(ctx: CaptureContext): ClickCapture {
  const pending: Pending[] = [];
  const observer = new MutationObserver(() => mark('mutation'));

  function mark(r: ClickReaction): void {
    for (const p of pending) p.seen.add(r);
  }

  function finish(p: Pending): void {
    clearTimeout(p.timer);
    pending.splice(pending.indexOf(p), 1);
    if (!pending.length) observer.disconnect();
    if (p.focus !== document.activeElement) p.seen.add('focus');
    p.event.rc = CLICK_REACTIONS.find((r) => p.seen.has(r)) ?? 'none';
    ctx.push(p.event);
  }

  listen(
    document,
    'click',
    (e) => {
      const m = e as MouseEvent;
      const el = m.target instanceof Element ? m.target : null;
      if (!el) return;
      const box = el.getBoundingClientRect();
      const link = el.closest('a[href]');
      const event: WireEventOf<'click'> = {
        t: 'cl',
        ts: Date.now(),
        x: round(m.clientX),
        y: round(m.clientY),
        px: round(m.pageX),
        py: round(m.pageY),
        s: selectorPath(el),
        rx: box.width > 0 ? clamp01((m.clientX - box.left) / box.width) : 0.5,
        ry: box.height > 0 ? clamp01((m.clientY - box.top) / box.height) : 0.5,
        i: isInteractive(el),
        h: link instanceof HTMLAnchorElement && link.href ? clipUrl(ctx.scrubUrl(link.href)) : undefined,
      };
      if (!pending.length) observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      const p: Pending = { event, seen: new Set(), focus: document.activeElement, timer: 0 as unknown as ReturnType<typeof setTimeout> };
      // The click's own default focus move happens after this listener: read the focused element once it settled.
      setTimeout(() => (p.focus = document.activeElement), 0);
      p.timer = setTimeout(() => finish(p), REACTION_WINDOW_MS);
      pending.push(p);
    },
    true,
  );
  listen(document, 'focusin', () => mark('focus'), true);

  return {
    navigated() {
      mark('navigation');
      for (const p of pending.slice()) finish(p);
    },
    scrolled: () => mark('scroll'),
  };
}
