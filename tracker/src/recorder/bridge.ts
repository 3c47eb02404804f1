/**
 * The hand-over between the eager core and the lazily loaded recorder bundle. The core publishes a bridge on
 * `window.__loupeRecorder` before inserting the recorder script; the recorder calls `attach` once it has loaded.
 */
import type { MaskingMode, WireEvent } from '@loupe/contract/browser';

export interface RecorderIds {
  visitorId: string;
  sessionId: string;
  pageViewId: string;
}

export interface RecorderBridge {
  key: string;
  /** Absolute URL of `/record`. */
  endpoint: string;
  masking: MaskingMode;
  ids(): RecorderIds;
  /** Queues an event in the core's transport (the recorder reports each uploaded chunk). */
  push(event: WireEvent): void;
  /** The recorder hands over its stop function (consent withdrawn, daily cap reached). */
  attach(stop: () => void): void;
}

export const BRIDGE_KEY = '__loupeRecorder';
