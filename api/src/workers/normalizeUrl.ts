import { DEFAULT_TRACKING_PARAMS, type ProjectSettings } from '@loupe/contract';

type UrlRules = ProjectSettings['urlRules'];

const matcher = (patterns: readonly string[]): ((name: string) => boolean) => {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    const lower = p.toLowerCase();
    if (lower.endsWith('*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  return (name) => {
    const lower = name.toLowerCase();
    return exact.has(lower) || prefixes.some((p) => lower.startsWith(p));
  };
};

const compiled = new WeakMap<UrlRules, (url: string) => string>();

/**
 * Returns the URL normaliser for a project's rules, so per-URL figures aggregate: lower-case host, no default port,
 * tracking (or all) query parameters dropped except the keep-list, the rest sorted, no fragment unless kept, no
 * trailing slash except the root. Unparseable URLs are returned as given.
 */
export function urlNormalizer(rules: UrlRules): (url: string) => string {
  let fn = compiled.get(rules);
  if (fn) return fn;
  const keep = matcher(rules.keepParams);
  const drop = matcher([...(rules.dropParams === 'tracking' ? DEFAULT_TRACKING_PARAMS : []), ...rules.extraDropParams]);
  const dropAll = rules.dropParams === 'all';
  fn = (raw: string): string => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return raw;
    }
    const kept: [string, string][] = [];
    for (const [name, value] of url.searchParams) {
      if (keep(name) || (!dropAll && !drop(name))) kept.push([name, value]);
    }
    kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const query = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
    let path = url.pathname;
    if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '') || '/';
    const hash = rules.keepHash && url.hash.length > 1 ? url.hash : '';
    return `${url.protocol}//${url.host}${path}${query}${hash}`;
  };
  compiled.set(rules, fn);
  return fn;
}
