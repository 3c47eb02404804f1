/**
 * SPA navigations: `history.pushState` / `replaceState` (wrapped), `popstate` and `hashchange`. A navigation
 * counts only when the URL actually changed, so a `popstate` followed by its `hashchange` is one page view.
 */
import type { NavigationKind } from '@loupe/contract/browser';
import { listen } from './context.ts';

export function captureNavigation(onNavigate: (kind: NavigationKind) => void): void {
  let href = location.href;
  const base = (url: string): string => url.split('#')[0] ?? url;
  const check = (kind: NavigationKind): void => {
    if (location.href === href) return;
    // Browsers fire popstate before hashchange on a fragment navigation: a change of the fragment alone is `hash`.
    const hashOnly = base(location.href) === base(href);
    href = location.href;
    onNavigate(hashOnly && kind === 'pop' ? 'hash' : kind);
  };
  for (const [name, kind] of [['pushState', 'push'], ['replaceState', 'replace']] as const) {
    const original = history[name];
    if (typeof original !== 'function') continue;
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      try {
        check(kind);
      } catch {
        // The page's navigation already happened; the tracker stays silent.
      }
      return result;
    };
  }
  listen(window, 'popstate', () => check('pop'));
  listen(window, 'hashchange', () => check('hash'));
}
