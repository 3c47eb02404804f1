/**
 * Entry of the SHA-256 fallback bundle (`/t/sha256.<hash>.js`): loaded by the core only when `loupe('identify')` runs
 * on a page without `crypto.subtle` (plain http, old browsers), so the eager core does not carry it.
 */
import { sha256HexFallback } from '@loupe/contract/browser';
import { SHA256_GLOBAL } from './commands.ts';

(window as unknown as Record<string, unknown>)[SHA256_GLOBAL] = sha256HexFallback;
