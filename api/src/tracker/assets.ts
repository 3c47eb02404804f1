/**
 * The tracker's browser bundles, built with esbuild from `@loupe/tracker` at the first request and kept for the
 * life of the process (a clean clone needs no build step). Recorder and SHA-256 fallback are served at
 * content-hashed URLs with a year's immutable cache; the per-project core changes with settings, so it is not.
 */
import { buildCoreBundle, buildRecorderBundle, buildSha256Bundle, contentHash } from '@loupe/tracker/build';

export interface Asset {
  js: string;
  hash: string;
  /** File name under `/t/`. */
  file: string;
}

const builds = new Map<string, Promise<Asset>>();

function once(name: string, make: () => Promise<string>): Promise<Asset> {
  let pending = builds.get(name);
  if (!pending) {
    pending = make().then((js) => {
      const hash = contentHash(js);
      return { js, hash, file: `${name}.${hash}.js` };
    });
    builds.set(name, pending);
    // A failed build is not cached, so the next request tries again.
    pending.catch(() => builds.delete(name));
  }
  return pending;
}

/** The eager core with `__LOUPE_CONFIG__` still in it. */
export const coreAsset = (): Promise<Asset> => once('core', buildCoreBundle);
export const recorderAsset = (): Promise<Asset> => once('recorder', buildRecorderBundle);
export const sha256Asset = (): Promise<Asset> => once('sha256', buildSha256Bundle);

/** The hashed assets by file name (`recorder.<hash>.js`), or null. */
export async function hashedAsset(file: string): Promise<Asset | null> {
  for (const asset of [await recorderAsset(), await sha256Asset()]) if (asset.file === file) return asset;
  return null;
}
