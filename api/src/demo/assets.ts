/**
 * The demo store's own client code, bundled with esbuild at the first request and kept for the life of the
 * process (the tracker itself is served at `/t/<ingestKey>.js` like on any shop). A failed build is not cached, so the next
 * request tries again.
 */
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '@loupe/tracker/build';

const builds = new Map<string, Promise<string>>();

function once(name: string, make: () => Promise<string>): Promise<string> {
  let pending = builds.get(name);
  if (!pending) {
    pending = make();
    builds.set(name, pending);
    pending.catch(() => builds.delete(name));
  }
  return pending;
}

/** `/demo/store.js`: the store's cart and checkout. */
export const storeScript = (): Promise<string> =>
  once('store', () => bundleForBrowser(fileURLToPath(new URL('./client/store.ts', import.meta.url))));
