/**
 * Scroll depth and direction changes, resizes, visibility and active time. Scroll and resize are read once the
 * page settles (debounced), never per frame.
 */
import { afterLoad } from '../lifecycle.ts';
import { listen, type CaptureContext } from './context.ts';

/**
 * Runs `fn` just after the next frame has been laid out, so reading scroll height does not force a layout of a
 * page whose DOM just changed (on a 10k-element page a forced layout costs hundreds of ms).
 */
const afterLayout = (fn: () => void): void => void requestAnimationFrame(() => setTimeout(fn));

/** Input after which the visitor counts as active for this long. */
const ACTIVE_SPAN_MS = 5000;

export interface PageCapture {
  /** A new page view: depth and active time start again. */
  reset_(): void;
  /** The page hides: report visibility with the active time. */
  hidden_(): void;
}

export function capturePage(ctx: CaptureContext, onScroll: () => void): PageCapture {
  let maxDepth = 0;
  let lastY = 0;
  let direction = 0;
  let scrollTimer: ReturnType<typeof setTimeout> | undefined;
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  // Not read at start: before the page's first layout, innerWidth lays the whole page out (see pageInfo.ts). The first
  // resize is reported whatever the size was; later ones only when the size changed.
  let width = 0;
  let height = 0;
  let activeMs = 0;
  let lastInput = 0;
  let reportedHidden = false;

  function measureScroll(): void {
    const doc = document.documentElement;
    const y = Math.max(0, scrollY);
    const total = Math.max(doc.scrollHeight, document.body ? document.body.scrollHeight : 0);
    const depth = total > 0 ? Math.min(100, Math.round(((y + innerHeight) / total) * 100)) : 100;
    const dir = y > lastY ? 1 : y < lastY ? -1 : 0;
    const turned = dir !== 0 && direction !== 0 && dir !== direction;
    if (depth > maxDepth || turned || !maxDepth) {
      maxDepth = Math.max(maxDepth, depth);
      ctx.push({ t: 'sc', ts: Date.now(), y, d: maxDepth });
    }
    if (dir) direction = dir;
    lastY = y;
  }

  function active(): void {
    const t = Date.now();
    if (document.visibilityState !== 'hidden') activeMs += Math.min(t - lastInput, ACTIVE_SPAN_MS);
    lastInput = t;
  }

  function visible(isVisible: boolean): void {
    if (!isVisible && reportedHidden) return;
    reportedHidden = !isVisible;
    if (isVisible) lastInput = Date.now();
    ctx.push({ t: 'vs', ts: Date.now(), vi: isVisible, a: isVisible ? undefined : Math.round(activeMs) });
  }

  listen(window, 'scroll', () => {
    onScroll();
    active();
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => afterLayout(measureScroll), 250);
  });
  listen(window, 'resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (innerWidth === width && innerHeight === height) return;
      width = innerWidth;
      height = innerHeight;
      ctx.push({ t: 'rs', ts: Date.now(), w: Math.round(width), h: Math.round(height) });
    }, 500);
  });
  for (const type of ['pointerdown', 'keydown', 'touchstart']) listen(document, type, active, true);
  // mousemove comes once per frame while the pointer moves (~300 calls in the benchmark's visit, the core's most
  // frequent listener): one sign of activity per second is enough for active time, which counts the gaps between
  // signs (up to 5 s each). The listener goes after one call (`once`) and comes back a second later.
  const watchMoves = (): void =>
    document.addEventListener(
      'mousemove',
      () => {
        active();
        setTimeout(watchMoves, 1000);
      },
      { capture: true, once: true },
    );
  watchMoves();
  listen(document, 'visibilitychange', () => visible(document.visibilityState !== 'hidden'));

  const reset = (): void => {
    maxDepth = 0;
    activeMs = 0;
    lastInput = Date.now();
    // Before `load` the page is still being parsed and laid out: reading its height then would force the first
    // layout of the whole page from our script (~50-80 ms on a 10k-element page).
    afterLoad(() => afterLayout(measureScroll));
  };
  // The first measure comes with the first page view (reset), never before it.
  return { reset_: reset, hidden_: () => visible(false) };
}
