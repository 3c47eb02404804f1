import { MAX_URL_LENGTH, type WirePageInfo } from '@loupe/contract/browser';

/** User-Agent Client Hints; not in TypeScript's DOM lib yet. */
interface UaData {
  mobile?: boolean;
  platform?: string;
  brands?: { brand: string; version: string }[];
}

/** Cuts a URL to the length the api accepts rather than losing the whole batch to a 400. */
export const clipUrl = (url: string): string => url.slice(0, MAX_URL_LENGTH);

/** Keeps a pixel size inside the contract's range (some embedded browsers report fractions or 0). */
const dim = (n: number): number => Math.min(100_000, Math.max(0, Math.round(n || 0)));

/** Reads the current page and device from the browser, in the envelope's wire form (the viewport when read). */
export function browserPageInfo(): WirePageInfo {
  const ua = (navigator as Navigator & { userAgentData?: UaData }).userAgentData;
  const ratio = devicePixelRatio;
  return {
    u: clipUrl(location.href),
    r: document.referrer ? clipUrl(document.referrer) : undefined,
    // A getter, read when a batch is built: before a page's first layout, reading innerWidth makes the browser lay
    // the whole page out there and then (~200 ms on a 10k-element page), and a page view event, built as the
    // script starts, needs only the URLs.
    get vp() {
      return { w: dim(innerWidth), h: dim(innerHeight) };
    },
    sc: { w: dim(screen.width), h: dim(screen.height), d: ratio > 0 && ratio <= 16 ? ratio : undefined },
    ua: {
      s: navigator.userAgent.slice(0, 1024),
      m: ua?.mobile,
      p: ua?.platform?.slice(0, 64),
      b: ua?.brands?.slice(0, 16).map((b) => ({ brand: b.brand.slice(0, 128), version: b.version.slice(0, 64) })),
    },
  };
}
