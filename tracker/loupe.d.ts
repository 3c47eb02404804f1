/**
 * Typed declarations of the page-facing API installed by the Loupe snippet (`window.loupe`). Add to a project with
 * `/// <reference types="@loupe/tracker/loupe" />` or copy this file. Every call is safe before the tracker loads
 * (queued) and never throws.
 */
export type LoupeCheckoutStep = 'started' | 'contact' | 'shipping' | 'payment' | 'other' | 'confirmed';

export interface LoupeCheckoutDetail {
  /** Identifies one checkout across steps and sources (e.g. the cart token). */
  token?: string;
  /** Order value in major units (19.9 for €19.90); numbers or numeric strings. */
  value?: number | string;
  /** ISO 4217 code, e.g. "EUR". */
  currency?: string;
}

export interface LoupeCommand {
  /**
   * A custom tag of this page (≤128 per page, excess ignored; keys and values clipped to 255 characters). Values are
   * scrubbed like titles by the project's masking mode (e-mail addresses; digit runs outside relaxed); keys are sent
   * as given.
   */
  (command: 'set', key: string, value: string | number | boolean | ReadonlyArray<string | number | boolean>): void;
  /** A named custom event; the name is scrubbed like titles (e-mail addresses; digit runs outside relaxed). */
  (command: 'event', name: string): void;
  /**
   * Ties the visitor to your own id (customer id, e-mail). The id is normalised (trimmed; e-mails lower-cased) and
   * hashed with SHA-256 and the project's salt in the browser; the raw id is never sent.
   */
  (command: 'identify', id: string): void;
  /** The visitor's answer to your consent banner; required before anything is sent when the project says so. */
  (command: 'consent', granted: boolean): void;
  /** A checkout step, for the funnel. */
  (command: 'checkout', step: LoupeCheckoutStep, detail?: LoupeCheckoutDetail): void;
  /** Records this session regardless of the sample rate (the daily cap still applies). */
  (command: 'upgrade'): void;
}

declare global {
  interface Window {
    loupe: LoupeCommand & { q?: IArguments[] };
  }
  // eslint-disable-next-line no-var -- the global the snippet defines
  var loupe: LoupeCommand;
}
