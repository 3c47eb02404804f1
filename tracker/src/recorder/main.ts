/**
 * The recorder bundle (`/t/recorder.<hash>.js`): `@rrweb/record` with the project's masking options, feeding the
 * chunk uploader. Loaded by the eager core only for recorded sessions, after the page is idle.
 */
import { record } from '@rrweb/record';
import { BRIDGE_KEY, type RecorderBridge } from './bridge.ts';
import { createUploader } from './chunks.ts';
import { scrubUrl } from '../mask.ts';
import { attributeMasker, type RrwebEvent } from './maskAttributes.ts';
import { markedRegions, maskOptions, plainPageText } from './maskOptions.ts';

/** rrweb's 'meta'. */
const META = 4;

function boot(): void {
  const bridge = (window as unknown as Record<string, RecorderBridge | undefined>)[BRIDGE_KEY];
  if (!bridge) return;
  let stopRecord: (() => void) | undefined;
  const uploader = createUploader({
    endpoint: bridge.endpoint,
    key: bridge.key,
    ids: bridge.ids,
    push: bridge.push,
    onRefused: () => stop(),
  });
  function stop(): void {
    if (stopRecord) stopRecord();
    stopRecord = undefined;
    uploader.stop();
  }
  const marks = markedRegions();
  const masking = maskOptions(bridge.masking, marks);
  const maskAttributes = attributeMasker({
    mode: bridge.masking,
    pageText: masking.maskTextFn,
    plainText: plainPageText(bridge.masking),
    getNode: (id) => record.mirror.getNode(id),
    marks,
  });
  const onHide = (): void => {
    if (document.visibilityState === 'hidden') uploader.hide();
  };
  addEventListener('pagehide', () => uploader.hide());
  document.addEventListener('visibilitychange', onHide);
  stopRecord = record({
    emit: (event: RrwebEvent & { timestamp: number; data?: { href?: unknown } }) => {
      // The Meta event carries the page URL: it follows the URL rule like the core's events.
      if (event.type === META && event.data && typeof event.data.href === 'string') event.data.href = scrubUrl(event.data.href, bridge.masking);
      // A rewrite answered for later runs before the event is serialized, in the uploader's own task.
      uploader.add(event, event.timestamp, maskAttributes(event));
    },
    ...masking,
    // Mouse moves are the bulk of a recording and of its CPU cost; 50 ms keeps a smooth replay.
    sampling: { mousemove: 50, scroll: 150, input: 'last' },
    slimDOMOptions: 'all',
    inlineStylesheet: true,
    recordCanvas: false,
    collectFonts: false,
  }) ?? undefined;
  bridge.attach(stop);
}

// rrweb takes its full snapshot inside record(): starting it in a task of its own keeps the bundle's evaluation out of
// the snapshot's task, the recorder's longest (input queued meanwhile is handled in between).
setTimeout(() => {
  try {
    boot();
  } catch {
    // Never into the page.
  }
});
