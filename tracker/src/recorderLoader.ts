/**
 * Decides whether this session is recorded and loads the recorder bundle once the page is idle. Local rules
 * first (recording enabled, sample rate — deterministic per session — or `loupe('upgrade')`), then the api's
 * answer from `/record/start` (daily cap of recorded sessions), and only then the script.
 */
import type { TrackerConfig } from '@loupe/contract/browser';
import { afterLoad } from './lifecycle.ts';
import { loadScript } from './loadScript.ts';
import { BRIDGE_KEY, type RecorderBridge } from './recorder/bridge.ts';
import { sessionStore } from './storage.ts';

const UPGRADE_KEY = 'loupe_rec';

/** FNV-1a of the session id, mapped to [0, 1): the same session gets the same answer on every page. */
export function sampled(sessionId: string, rate: number): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < sessionId.length; i++) h = Math.imul(h ^ sessionId.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296 < rate;
}


const idle = (fn: () => void): void => {
  const w = window as Window & { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number };
  afterLoad(() => void (w.requestIdleCallback ? w.requestIdleCallback(fn, { timeout: 5000 }) : setTimeout(fn, 1000)));
};

export interface RecorderLoader {
  /** Loads the recorder if this session qualifies (no-op once loaded). `force`: `loupe('upgrade')`. */
  maybeLoad_(force?: boolean): void;
  stop_(): void;
}

export function recorderLoader(cfg: TrackerConfig, bridge: Omit<RecorderBridge, 'attach'>): RecorderLoader {
  let state: 'idle' | 'loading' | 'stopped' = 'idle';
  let stopRecorder: (() => void) | null = null;

  function load(): void {
    const { sessionId, visitorId } = bridge.ids();
    fetch(`${cfg.record}/start`, {
      method: 'POST',
      body: JSON.stringify({ k: cfg.key, s: sessionId, v: visitorId }),
      credentials: 'omit',
    })
      .then((r) => (r.ok ? r.json() : null))
      .then((answer: { record?: boolean; masking?: RecorderBridge['masking'] } | null) => {
        if (!answer || !answer.record || state !== 'loading') return;
        (window as unknown as Record<string, RecorderBridge>)[BRIDGE_KEY] = {
          ...bridge,
          masking: answer.masking ?? bridge.masking,
          attach: (stop) => {
            if (state === 'stopped') stop();
            else stopRecorder = stop;
          },
        };
        return loadScript(cfg.recorder);
      })
      .catch(() => undefined);
  }

  return {
    maybeLoad_(force) {
      if (state !== 'idle' || !cfg.recording) return;
      const { sessionId } = bridge.ids();
      const store = sessionStore();
      // Remembered for the session's later pages (for this page only where storage is blocked).
      if (force) store.set(UPGRADE_KEY, sessionId);
      if (!force && store.get(UPGRADE_KEY) !== sessionId && !sampled(sessionId, cfg.sampleRate)) return;
      state = 'loading';
      idle(load);
    },
    stop_() {
      state = 'stopped';
      stopRecorder?.();
      stopRecorder = null;
    },
  };
}
