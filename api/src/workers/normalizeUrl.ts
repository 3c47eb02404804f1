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
 * Stored page URLs are clipped to this many UTF-8 bytes: they are indexed (per-URL figures), and PostgreSQL refuses a
 * btree entry over 2,704 bytes — an incompressible 4 KiB URL would otherwise fail its whole batch, forever.
 */
export const MAX_STORED_URL_BYTES = 2000;

/** Clips to MAX_STORED_URL_BYTES without splitting a character. */
export function clipUrl(url: string): string {
  if (url.length * 3 <= MAX_STORED_URL_BYTES || Buffer.byteLength(url) <= MAX_STORED_URL_BYTES) return url;
  let out = url.slice(0, MAX_STORED_URL_BYTES);
  while (Buffer.byteLength(out) > MAX_STORED_URL_BYTES) out = out.slice(0, -1);
  // A lone high surrogate left at the end would not survive as text.
  return /[\uD800-\uDBFF]$/.test(out) ? out.slice(0, -1) : out;
}

/**
 * Returns the URL normaliser for a project's rules, so per-URL figures aggregate: lower-case host, no default port,
 * tracking (or all) query parameters dropped except the keep-list, the rest sorted, no fragment unless kept, no
 * trailing slash except the root, clipped to MAX_STORED_URL_BYTES. Unparseable URLs are returned as given (clipped).
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
      return clipUrl(raw);
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
    return clipUrl(`${url.protocol}//${url.host}${path}${query}${hash}`);
  };
  compiled.set(rules, fn);
  return fn;
}
