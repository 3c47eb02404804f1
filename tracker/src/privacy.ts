import { localStore } from './storage.ts';

/** Do-Not-Track and Global Privacy Control, as the browser reports them. */
export function optedOut(): boolean {
  // window.doNotTrack, msDoNotTrack and 'yes' belonged to browsers that cannot run this ES2020 bundle.
  const n = navigator as Navigator & { globalPrivacyControl?: boolean };
  return n.globalPrivacyControl === true || n.doNotTrack === '1';
}

const CONSENT_KEY = 'loupe_consent';

/** The page's last `loupe('consent', …)` answer, remembered so the CMP need not repeat it on every page. */
export const storedConsent = (): boolean => localStore().get(CONSENT_KEY) === '1';

/** Remembers (or forgets) consent; where storage is blocked it lasts for this page only. */
export const storeConsent = (granted: boolean): void => localStore().set(CONSENT_KEY, granted ? '1' : '');
