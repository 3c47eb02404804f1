/**
 * Clicks, with a reaction signal for dead clicks: for REACTION_WINDOW_MS after a click the tracker watches for a
 * navigation, a DOM mutation, a scroll and a focus change, then sends the click with the strongest one seen
 * (`navigation` > `mutation` > `scroll` > `focus`), or `none`. The MutationObserver runs only while a click is
 * pending and stops at the first mutation (every pending click has then seen one), so a page nobody clicks costs
 * nothing and a click that re-renders a 10k-element list costs one callback.
 */
import { CLICK_REACTIONS, REACTION_WINDOW_MS, type ClickReaction, type WireEventOf } from '@loupe/contract/browser';
import { clipUrl } from '../pageInfo.ts';
import { isInteractive, selectorPath } from '../selector.ts';
import { listen, type CaptureContext } from './context.ts';

interface Pending {
  event_: WireEventOf<'click'>;
  seen_: Set<ClickReaction>;
  focus_: Element | null;
  timer_: ReturnType<typeof setTimeout>;
}

const clamp01 = (n: number): number => (n > 0 ? (n < 1 ? n : 1) : 0);
const round = (n: number): number => Math.round(n * 10) / 10;

export interface ClickCapture {
  /** A navigation (page view or page hide) is the reaction of every pending click, which leave now. */
  navigated_(): void;
  scrolled_(): void;
}

export function captureClicks(ctx: CaptureContext): ClickCapture {
  const pending: Pending[] = [];
  const observer = new MutationObserver(() => {
    mark('mutation');
    observer.disconnect();
  });

  function mark(r: ClickReaction): void {
    for (const p of pending) p.seen_.add(r);
  }

  function finish(p: Pending): void {
    clearTimeout(p.timer_);
    pending.splice(pending.indexOf(p), 1);
    if (!pending.length) observer.disconnect();
    if (p.focus_ !== document.activeElement) p.seen_.add('focus');
    p.event_.rc = CLICK_REACTIONS.find((r) => p.seen_.has(r)) ?? 'none';
    ctx.push(p.event_);
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
        h: link instanceof HTMLAnchorElement && link.href ? clipUrl(ctx.scrubUrl_(link.href)) : undefined,
      };
      // Observing again while observed only renews the options.
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      const p: Pending = { event_: event, seen_: new Set(), focus_: document.activeElement, timer_: 0 as unknown as ReturnType<typeof setTimeout> };
      // The click's own default focus move happens after this listener: read the focused element once it settled.
      setTimeout(() => (p.focus_ = document.activeElement), 0);
      p.timer_ = setTimeout(() => finish(p), REACTION_WINDOW_MS);
      pending.push(p);
    },
    true,
  );
  listen(document, 'focusin', () => mark('focus'), true);

  return {
    navigated_() {
      mark('navigation');
      for (const p of pending.slice()) finish(p);
    },
    scrolled_: () => mark('scroll'),
  };
}
