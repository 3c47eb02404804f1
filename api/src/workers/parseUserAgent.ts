import { UAParser } from 'ua-parser-js';

export type DeviceClass = 'pc' | 'tablet' | 'mobile';

export interface ClientInfo {
  deviceClass: DeviceClass;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
}

export interface ClientHints {
  ua: string | null;
  /** `navigator.userAgentData.mobile`, when the browser gives it. */
  mobile?: boolean | undefined;
  viewportWidth: number;
  screenWidth: number;
  screenHeight: number;
}

const cache = new Map<string, Omit<ClientInfo, 'deviceClass'> & { uaDevice: string | undefined; iPadLike: boolean }>();

/**
 * Device class from the user agent (ua-parser-js 1.x, MIT), refined by client hints and screen size:
 * an explicit mobile/tablet device type wins; else the `mobile` hint; else a Mac with a touch-sized screen is an iPad
 * (iPadOS sends a desktop UA); else a screen narrower than 600 px is a phone; else PC.
 */
export function parseUserAgent(h: ClientHints): ClientInfo {
  const ua = h.ua ?? '';
  let parsed = cache.get(ua);
  if (!parsed) {
    const r = new UAParser(ua).getResult();
    parsed = {
      browser: r.browser.name ?? null,
      browserVersion: r.browser.major ?? null,
      os: r.os.name ?? null,
      osVersion: r.os.version ?? null,
      uaDevice: r.device.type,
      iPadLike: r.os.name === 'Mac OS' && /Safari/.test(ua) && !/Chrome|Firefox/.test(ua),
    };
    if (cache.size > 5000) cache.clear();
    cache.set(ua, parsed);
  }
  const { uaDevice, iPadLike, ...info } = parsed;
  const shortSide = Math.min(h.screenWidth, h.screenHeight);
  let deviceClass: DeviceClass;
  if (uaDevice === 'mobile' || uaDevice === 'wearable') deviceClass = 'mobile';
  else if (uaDevice === 'tablet') deviceClass = 'tablet';
  else if (h.mobile === true) deviceClass = 'mobile';
  else if (iPadLike && shortSide >= 744 && shortSide <= 1032 && Math.max(h.screenWidth, h.screenHeight) <= 1376) deviceClass = 'tablet';
  else if (shortSide > 0 && shortSide < 600 && h.viewportWidth < 600) deviceClass = 'mobile';
  else deviceClass = 'pc';
  return { deviceClass, ...info };
}
