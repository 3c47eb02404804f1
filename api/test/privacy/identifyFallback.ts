import { identifyHashInput, sha256HexFallback } from '@loupe/contract';

/** What a browser without crypto.subtle sends: the contract's pure-JS SHA-256 over the same input. */
export const hashIdentifyIdFallback = (salt: string, raw: string): string => sha256HexFallback(identifyHashInput(salt, raw));
