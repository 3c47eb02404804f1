import { LIMITS, type Batch } from '@loupe/contract/browser';

/** The envelope fields that describe the page and the device, read fresh for every batch. */
export type PageInfo = Pick<Batch, 'url' | 'referrer' | 'viewport' | 'screen' | 'userAgent'>;

/** User-Agent Client Hints; not in TypeScript's DOM lib yet. */
interface UaData {
  mobile?: boolean;
  platform?: string;
  brands?: { brand: string; version: string }[];
}

/** Cuts a URL to the length the api accepts rather than losing the whole batch to a 400. */
export const clipUrl = (url: string): string => url.slice(0, LIMITS.maxUrlLength);

/** Keeps a pixel size inside the contract's range (some embedded browsers report fractions or 0). */
const dim = (n: number): number => Math.min(100_000, Math.max(0, Math.round(n || 0)));

/** Reads the current page and device from the browser. */
export function browserPageInfo(): PageInfo {
  const ua = (navigator as Navigator & { userAgentData?: UaData }).userAgentData;
  const ratio = window.devicePixelRatio;
  return {
    url: clipUrl(location.href),
    referrer: document.referrer ? clipUrl(document.referrer) : undefined,
    viewport: { width: dim(window.innerWidth), height: dim(window.innerHeight) },
    screen: {
      width: dim(screen.width),
      height: dim(screen.height),
      pixelRatio: ratio > 0 && ratio <= 16 ? ratio : undefined,
    },
    userAgent: {
      ua: navigator.userAgent.slice(0, 1024),
      mobile: ua?.mobile,
      platform: ua?.platform?.slice(0, 64),
      brands: ua?.brands?.slice(0, 16).map((b) => ({ brand: b.brand.slice(0, 128), version: b.version.slice(0, 64) })),
    },
  };
}
