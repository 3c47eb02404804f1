/**
 * `loupe('identify', id)`: the raw id never leaves the browser. The tracker sends the lowercase hex SHA-256 of
 * `salt + "\n" + normalizeIdentifyId(id)` over UTF-8, with the project's own salt; the api computes the same hash
 * to find a visitor by a raw id. Zod-free and DOM-free so the browser bundle and the api share it.
 */

/** Trims; ids containing '@' (e-mail addresses) are lower-cased, other ids keep their case. */
export function normalizeIdentifyId(raw: string): string {
  const id = raw.trim();
  return id.includes('@') ? id.toLowerCase() : id;
}

/** The exact text that is hashed. */
export const identifyHashInput = (salt: string, raw: string): string => `${salt}\n${normalizeIdentifyId(raw)}`;

/**
 * SHA-256's constants, derived rather than listed (smaller in the browser bundle): the first 32 bits of the
 * fractional parts of the square roots (H) of the first 8 primes and of the cube roots (K) of the first 64.
 */
const H0: number[] = [];
const K: number[] = [];
/** Fills the constants at the first hash: a module-level loop would be kept in every bundle importing this file. */
function constants(): void {
  for (let n = 2, found = 0; found < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (!prime) continue;
    const frac = (x: number): number => ((x - Math.floor(x)) * 4294967296) | 0;
    if (found < 8) H0[found] = frac(Math.pow(n, 1 / 2));
    K[found++] = frac(Math.pow(n, 1 / 3));
  }
}

/** UTF-8 bytes without TextEncoder (the fallback runs on old browsers too). */
function utf8(s: string): number[] {
  const out: number[] = [];
  const bytes = unescape(encodeURIComponent(s));
  for (let i = 0; i < bytes.length; i++) out.push(bytes.charCodeAt(i));
  return out;
}

const hex = (words: ArrayLike<number>): string => {
  let s = '';
  for (let i = 0; i < words.length; i++) s += (words[i]! >>> 0).toString(16).padStart(8, '0');
  return s;
};

/**
 * SHA-256 in plain JavaScript, lowercase hex, for pages where `crypto.subtle` is missing (plain-http pages, old
 * browsers). A unit test holds it equal to node:crypto.
 */
export function sha256HexFallback(text: string): string {
  if (!K.length) constants();
  const bytes = utf8(text);
  const bitLength = bytes.length * 8;
  bytes.push(0x80);
  while (bytes.length % 64 !== 56) bytes.push(0);
  // Length as a 64-bit big-endian integer; inputs here are far below 2^32 bits.
  bytes.push(0, 0, 0, 0, bitLength >>> 24, (bitLength >>> 16) & 255, (bitLength >>> 8) & 255, bitLength & 255);
  const h = H0.slice();
  const w: number[] = [];
  const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < bytes.length; off += 64) {
    for (let i = 0; i < 64; i++) {
      if (i < 16) {
        const j = off + i * 4;
        w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
      } else {
        const a = w[i - 15]!;
        const b = w[i - 2]!;
        w[i] = (w[i - 16]! + (rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3)) + w[i - 7]! + (rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10))) | 0;
      }
    }
    const v = h.slice();
    for (let i = 0; i < 64; i++) {
      const [a, b, c, d, e, f, g, hh] = v as [number, number, number, number, number, number, number, number];
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      v.pop();
      v.unshift((t1 + t2) | 0);
      v[4] = (d + t1) | 0;
    }
    for (let i = 0; i < 8; i++) h[i] = (h[i]! + v[i]!) | 0;
  }
  return hex(h);
}

/** Minimal view of WebCrypto's digest, so this file needs no DOM types. */
interface SubtleLike {
  digest(algorithm: string, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

/** SHA-256 through WebCrypto, lowercase hex; null when WebCrypto is missing or refuses (non-secure contexts). */
export async function sha256HexSubtle(text: string, subtle?: SubtleLike | null): Promise<string | null> {
  if (!subtle) return null;
  try {
    // TextEncoder exists wherever crypto.subtle does; utf8() is for the fallback's older browsers.
    const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(text)));
    return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}

/**
 * The identify hash: `crypto.subtle` where present (secure contexts), the pure-JS fallback otherwise. Both give
 * the same lowercase hex. (The eager core calls `sha256HexSubtle` itself and loads the fallback only when needed.)
 */
export async function hashIdentifyId(salt: string, raw: string, subtle?: SubtleLike | null): Promise<string> {
  const text = identifyHashInput(salt, raw);
  return (await sha256HexSubtle(text, subtle)) ?? sha256HexFallback(text);
}
