/**
 * The eager core: starts capture under the project's inlined settings. Nothing is stored or sent before the rules
 * allow it: with Do-Not-Track / GPC honoured and set, nothing runs at all; with consent required, no id is
 * written and no request leaves until `loupe('consent', true)` (remembered for later pages).
 */
import type { NavigationKind, TrackerConfig, WireEvent } from '@loupe/contract/browser';
import { captureClicks } from './capture/clicks.ts';
import type { CaptureContext } from './capture/context.ts';
import { captureErrors } from './capture/errors.ts';
import { captureNavigation } from './capture/navigation.ts';
import { capturePage } from './capture/page.ts';
import { commandRunner } from './commands.ts';
import { scrub, scrubUrl } from './mask.ts';
import { browserPageInfo } from './pageInfo.ts';
import { optedOut, storeConsent, storedConsent } from './privacy.ts';
import { recorderLoader } from './recorderLoader.ts';
import { forgetIds, visitorStore } from './storage.ts';
import { createTransport, type Transport } from './transport.ts';

/** `window.loupe` before the tracker loads: the install snippet queues its arguments in `q`. */
export type LoupeFn = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] };

/** Calls made before consent are kept (bounded) and run once it is given. */
const MAX_WAITING = 100;

export function start(cfg: TrackerConfig): void {
  const w = window as Window & { loupe?: LoupeFn };
  const queued = Array.from((w.loupe && w.loupe.q) || []);
  if (cfg.honorDnt && optedOut()) {
    w.loupe = () => undefined;
    return;
  }

  let transport: Transport | null = null;
  const waiting: ArrayLike<unknown>[] = [];
  const s = (text: string): string => scrub(text, cfg.masking);
  const push = (e: WireEvent): void => {
    if (transport) transport.push(e);
  };
  const ctx: CaptureContext = { push, scrub_: s, scrubUrl_: (u) => scrubUrl(u, cfg.masking) };
  const ids = () => (transport ? transport.ids() : { visitorId: '', sessionId: '', pageViewId: '' });
  const recorder = recorderLoader(cfg, { key: cfg.key, endpoint: cfg.record, masking: cfg.masking, ids, push });
  const commands = commandRunner({ push, scrub_: s, salt_: cfg.salt, sha256Url_: cfg.sha256, upgrade_: () => recorder.maybeLoad_(true) });

  let clicks: ReturnType<typeof captureClicks> | null = null;
  let page: ReturnType<typeof capturePage> | null = null;
  let errors: ReturnType<typeof captureErrors> | null = null;

  function pageView(kind: NavigationKind): void {
    if (!transport || !clicks || !page || !errors) return;
    clicks.navigated_();
    transport.pageView(kind, s(document.title));
    commands.reset_();
    errors.reset_();
    page.reset_();
  }

  function begin(): void {
    transport = createTransport({
      endpoint: cfg.collect,
      projectKey: cfg.key,
      visitorStore: visitorStore(cfg.cookieDomain),
      pageInfo: () => {
        const info = browserPageInfo();
        info.u = scrubUrl(info.u, cfg.masking);
        if (info.r) info.r = scrubUrl(info.r, cfg.masking);
        return info;
      },
      beforeHide: () => {
        if (clicks) clicks.navigated_();
        if (page) page.hidden_();
      },
    });
    if (!clicks) {
      // Listeners are added once; they feed whichever transport is current (none while consent is withdrawn).
      clicks = captureClicks(ctx);
      errors = captureErrors(ctx);
      const c = clicks;
      page = capturePage(ctx, () => c.scrolled_());
      captureNavigation(pageView);
    }
    pageView('load');
    recorder.maybeLoad_();
    waiting.splice(0).forEach(commands.run_);
  }

  function consent(granted: boolean): void {
    if (granted === !!transport) return;
    storeConsent(granted);
    if (granted) {
      begin();
      push({ t: 'cn', ts: Date.now(), g: true });
      return;
    }
    recorder.stop_();
    // Withdrawn: what is queued is discarded, the ids are forgotten.
    if (transport) transport.stop(true);
    transport = null;
    forgetIds(cfg.cookieDomain);
  }

  function run(args: ArrayLike<unknown>): void {
    try {
      if (args[0] === 'consent') consent(args[1] === true);
      else if (transport) commands.run_(args);
      else if (waiting.length < MAX_WAITING) waiting.push(args);
    } catch {
      // Never into the page.
    }
  }

  w.loupe = function () {
    // eslint-disable-next-line prefer-rest-params -- `arguments` keeps the function small and ES5-callable
    run(arguments);
  };
  if (!cfg.consentRequired || storedConsent()) begin();
  queued.forEach(run);
}
