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

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

/** UTF-8 bytes without TextEncoder (the fallback runs on old browsers too). */
function utf8(s: string): number[] {
  const out: number[] = [];
  const bytes = unescape(encodeURIComponent(s));
  for (let i = 0; i < bytes.length; i++) out.push(bytes.charCodeAt(i));
  return out;
}

const hex = (words: ArrayLike<number>): string => {
  let s = '';
  for (let i = 0; i < words.length; i++) s += ((words[i] ?? 0) >>> 0).toString(16).padStart(8, '0');
  return s;
};

/**
 * SHA-256 in plain JavaScript, lowercase hex, for pages where `crypto.subtle` is missing (plain-http pages, old
 * browsers). A unit test holds it equal to node:crypto.
 */
export function sha256HexFallback(text: string): string {
  const bytes = utf8(text);
  const bitLength = bytes.length * 8;
  bytes.push(0x80);
  while (bytes.length % 64 !== 56) bytes.push(0);
  // Length as a 64-bit big-endian integer; inputs here are far below 2^32 bits.
  bytes.push(0, 0, 0, 0, (bitLength >>> 24) & 255, (bitLength >>> 16) & 255, (bitLength >>> 8) & 255, bitLength & 255);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new Array<number>(64);
  const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < bytes.length; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      w[i] = ((bytes[j] ?? 0) << 24) | ((bytes[j + 1] ?? 0) << 16) | ((bytes[j + 2] ?? 0) << 8) | (bytes[j + 3] ?? 0);
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15] ?? 0;
      const b = w[i - 2] ?? 0;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[i] = ((w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K[i] ?? 0) + (w[i] ?? 0)) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    const next = [a, b, c, d, e, f, g, hh];
    for (let i = 0; i < 8; i++) h[i] = ((h[i] ?? 0) + (next[i] ?? 0)) | 0;
  }
  return hex(h);
}

/** Minimal view of WebCrypto's digest, so this file needs no DOM types. */
interface SubtleLike {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

/**
 * The identify hash: `crypto.subtle` where present (secure contexts), the pure-JS fallback otherwise. Both give
 * the same lowercase hex.
 */
export async function hashIdentifyId(salt: string, raw: string, subtle?: SubtleLike | null): Promise<string> {
  const text = identifyHashInput(salt, raw);
  if (subtle) {
    try {
      const digest = await subtle.digest('SHA-256', new Uint8Array(utf8(text)));
      const view = new DataView(digest);
      const words: number[] = [];
      for (let i = 0; i < 8; i++) words.push(view.getUint32(i * 4));
      return hex(words);
    } catch {
      // Some browsers expose subtle but refuse it outside secure contexts: fall through.
    }
  }
  return sha256HexFallback(text);
}
