/** Do-Not-Track and Global Privacy Control, as the browser reports them. */
export function optedOut(): boolean {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean; msDoNotTrack?: string };
  const w = window as Window & { doNotTrack?: string };
  return n.globalPrivacyControl === true || n.doNotTrack === '1' || n.doNotTrack === 'yes' || w.doNotTrack === '1' || n.msDoNotTrack === '1';
}

const CONSENT_KEY = 'loupe_consent';

/** The page's last `loupe('consent', …)` answer, remembered so the CMP need not repeat it on every page. */
export function storedConsent(): boolean {
  try {
    return localStorage.getItem(CONSENT_KEY) === '1';
  } catch {
    return false;
  }
}

export function storeConsent(granted: boolean): void {
  try {
    if (granted) localStorage.setItem(CONSENT_KEY, '1');
    else localStorage.removeItem(CONSENT_KEY);
  } catch {
    // Storage blocked: consent then lasts for this page only.
  }
}
