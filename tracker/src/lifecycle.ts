/** Browser timers and page-lifecycle hooks, behind functions the transport can be given fakes of. */

/**
 * Calls `hide` when the page is hidden or unloads. Both are needed: mobile browsers often kill a hidden tab
 * without `pagehide`, and desktop ones unload without a visibility change. Never removed: a stopped transport
 * ignores the call, which is cheaper (in bytes) than unsubscribing.
 */
export function browserOnHide(hide: () => void): void {
  addEventListener('pagehide', hide);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') hide();
  });
}

/** Runs `fn` once the page has loaded (at once if it has). */
export const afterLoad = (fn: () => void): void =>
  document.readyState === 'complete' ? fn() : addEventListener('load', () => fn(), { once: true });

/** `setTimeout` returning its own cancel function. */
export const defaultTimer = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};
