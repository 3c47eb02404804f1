/**
 * Where the tracker keeps its ids. Every access is guarded: storage can be disabled, full, or throw in private
 * modes, and the tracker must keep working (with ids that last only as long as the page) when it does.
 */

/** A string store; `get` answers null when the key is missing or the store is unavailable. */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** An in-memory store: the fallback when the browser offers none, and the test double. */
export function memoryStore(): KeyValue {
  const map = new Map<string, string>();
  return { get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v) };
}

function webStore(pick: () => Storage): KeyValue {
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
        pick().setItem(k, v);
      } catch {
        // Quota or privacy mode: the in-memory copy in the transport still works for this page.
      }
    },
  };
}

/** `sessionStorage`: per tab, gone when the tab closes, which is what a session id needs. */
export const sessionStore = (): KeyValue => webStore(() => sessionStorage);

const VISITOR_MAX_AGE_S = 365 * 24 * 3600;

/**
 * A first-party cookie mirrored in `localStorage`: either one surviving (Safari caps script-set cookies at 7 days,
 * some users clear one but not the other) keeps the visitor id.
 */
export function visitorStore(cookieDomain = ''): KeyValue {
  const local = webStore(() => localStorage);
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

/** Forgets the tracker's ids (consent withdrawn): the cookie expires, the stored copies go. */
export function forgetIds(cookieDomain = ''): void {
  visitorStore(cookieDomain).set('loupe_vid', '');
  for (const pick of [() => localStorage, () => sessionStorage]) {
    try {
      pick().removeItem('loupe_vid');
      pick().removeItem('loupe_sid');
    } catch {
      // Nothing stored.
    }
  }
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A random url-safe id of 22 characters (~132 bits), as the contract's `clientIdSchema` expects. */
export function newId(): string {
  const bytes = new Uint8Array(22);
  if (typeof crypto !== 'undefined' && crypto.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b & 63];
  return id;
}
