import type { WireEvent } from '@loupe/contract/browser';

/** What a capture module may use: queue an event, scrub text by the project's masking mode. */
export interface CaptureContext {
  push(event: WireEvent): void;
  scrub_(text: string): string;
  scrubUrl_(url: string): string;
}

/** Adds a passive, guarded listener; never throws into the page. */
export function listen(target: EventTarget, type: string, fn: (e: Event) => void, capture = false): void {
  target.addEventListener(
    type,
    (e) => {
      try {
        fn(e);
      } catch {
        // A tracker bug must not become the store's error.
      }
    },
    { capture, passive: true },
  );
}
