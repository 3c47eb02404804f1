/**
 * Where the tracker keeps its ids. Every access is guarded: storage can be disabled, full, or throw in private
 * modes, and the tracker must keep working (with ids that last only as long as the page) when it does.
 */

/** A string store; `get` answers null when the key is missing or the store is unavailable. */
export interface KeyValue {
  get(key: string): string | null;
  /** An empty value removes the key. */
  set(key: string, value: string): void;
}

/** An in-memory store: the fallback when the browser offers none, and the test double. */
export function memoryStore(): KeyValue {
  const map = new Map<string, string>();
  return { get: (k) => map.get(k) ?? null, set: (k, v) => void (v ? map.set(k, v) : map.delete(k)) };
}

function webStore(pick: () => Storage): KeyValue {
  // Each call looks the store up again: merely reading `localStorage` throws where storage is blocked.
  return {
    get(k) {
      try {
        return pick().getItem(k);
      } catch {
        return null;
      }
    },
    set(k, v) {
      try {
        if (v) pick().setItem(k, v);
        else pick().removeItem(k);
      } catch {
        // Quota or privacy mode: the in-memory copy in the transport still works for this page.
      }
    },
  };
}

/** `sessionStorage`: per tab, gone when the tab closes, which is what a session id needs. */
export const sessionStore = (): KeyValue => webStore(() => sessionStorage);
/** `localStorage`: the consent answer, and the visitor id's second copy. */
export const localStore = (): KeyValue => webStore(() => localStorage);

const VISITOR_MAX_AGE_S = 365 * 24 * 3600;

/**
 * A first-party cookie mirrored in `localStorage`: either one surviving (Safari caps script-set cookies at 7 days,
 * some users clear one but not the other) keeps the visitor id.
 */
export function visitorStore(cookieDomain = ''): KeyValue {
  const local = localStore();
  // A parent-domain cookie lets shop.example.com and blog.example.com share the visitor id.
  const domain = cookieDomain ? `; Domain=${cookieDomain}` : '';
  return {
    get(k) {
      try {
        const hit = document.cookie.split('; ').find((c) => c.startsWith(`${k}=`));
        if (hit) return decodeURIComponent(hit.slice(k.length + 1));
      } catch {
        // Cookies blocked (sandboxed iframe): fall through to localStorage.
      }
      return local.get(k);
    },
    set(k, v) {
      try {
        const secure = location.protocol === 'https:' ? '; Secure' : '';
        document.cookie = `${k}=${encodeURIComponent(v)}; Max-Age=${v ? VISITOR_MAX_AGE_S : 0}; Path=/; SameSite=Lax${domain}${secure}`;
      } catch {
        // See get().
      }
      local.set(k, v);
    },
  };
}

export const VISITOR_KEY = 'loupe_vid';
export const SESSION_KEY = 'loupe_sid';

/** Forgets the tracker's ids (consent withdrawn): the cookie expires, the stored copies go. */
export function forgetIds(cookieDomain = ''): void {
  visitorStore(cookieDomain).set(VISITOR_KEY, '');
  sessionStore().set(SESSION_KEY, '');
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A random url-safe id of 22 characters (~132 bits), as the contract's `clientIdSchema` expects. */
export function newId(): string {
  // getRandomValues exists in every browser that runs this ES2020 bundle, on http pages too.
  let id = '';
  for (const b of crypto.getRandomValues(new Uint8Array(22))) id += ID_ALPHABET[b & 63];
  return id;
}
