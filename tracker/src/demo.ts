/**
 * Entry of the demo bundle (`/demo/loupe.js`):
 *   <script async src="…/demo/loupe.js" data-loupe-key="pk_…"></script>
 * `/collect` is found next to the script (`<base>/demo/loupe.js` → `<base>/collect`) unless `data-loupe-endpoint`
 * names it.
 */
import { startCapture } from './demoCapture.ts';
import { createTransport } from './transport.ts';

function boot(): void {
  const script =
    (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-loupe-key]');
  const projectKey = script?.dataset.loupeKey;
  if (!script || !projectKey) return;
  const endpoint = new URL(script.dataset.loupeEndpoint ?? '../collect', script.src || location.href).href;
  startCapture(createTransport({ endpoint, projectKey }));
}

try {
  boot();
} catch {
  // A tracker that cannot start stays silent rather than breaking the store.
}
