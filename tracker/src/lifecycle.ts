/** Browser timers and page-lifecycle hooks, behind functions the transport can be given fakes of. */

/**
 * Calls `hide` when the page is hidden or unloads. Both are needed: mobile browsers often kill a hidden tab
 * without `pagehide`, and desktop ones unload without a visibility change. Answers an unsubscribe function.
 */
export function browserOnHide(hide: () => void): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') hide();
  };
  window.addEventListener('pagehide', hide);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    window.removeEventListener('pagehide', hide);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

/** `setTimeout` returning its own cancel function. */
export const defaultTimer = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};
