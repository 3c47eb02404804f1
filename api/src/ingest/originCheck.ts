/**
 * Whether a browser `Origin` may send data for a project. Patterns (see `allowedOriginSchema`):
 * `https://shop.example.com` exact origin; `shop.example.com` that host on http or https (default ports);
 * `*.example.com` the apex and any subdomain, http or https.
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  for (const raw of allowed) {
    const pattern = raw.toLowerCase();
    if (pattern.includes('://')) {
      if (pattern.replace(/\/+$/, '') === url.origin) return true;
      continue;
    }
    if (url.port) continue;
    if (pattern.startsWith('*.')) {
      const apex = pattern.slice(2);
      if (host === apex || host.endsWith(`.${apex}`)) return true;
    } else if (host === pattern) return true;
  }
  return false;
}
