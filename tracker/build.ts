/**
 * Bundles the browser scripts with esbuild: the eager core (`src/main.ts`, served per project at
 * `/t/<ingestKey>.js` with the project's settings inlined in place of `__LOUPE_CONFIG__`) and the recorder
 * (`src/recorder/main.ts`, served at a content-hashed URL). The api builds them at its first request;
 * `npm run build -w @loupe/tracker` writes them to `dist/` (for size checks and the benchmark).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** The placeholder the api replaces with the project's TrackerConfig JSON. */
export const CONFIG_PLACEHOLDER = '__LOUPE_CONFIG__';

/**
 * Size budgets (gzip -9, KiB = 1,024 bytes): the Tracker issue's targets, enforced by tracker/test/bundle.test.ts.
 * The core is measured with the config placeholder still in it (a project's inlined settings add ~300 bytes).
 */
export const BUDGETS = { core: 6 * 1024, coreAndRecorder: 30 * 1024 } as const;

/** Where @rrweb/record's canvas code starts and ends in its ESM build (2.1.6, pinned exactly in package.json). */
const CANVAS_START = '\nvar chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";';
const CANVAS_END = '\nclass StylesheetManager {';
/** What record() calls on its canvas manager; with `recordCanvas: false` the real one only keeps these flags. */
const CANVAS_STUB = 'class CanvasManager { reset() {} freeze() {} unfreeze() {} lock() {} unlock() {} }\n';

/**
 * Replaces rrweb's canvas recording (2D/WebGL patching, an inline image worker: ~19 KB of source, built and a Blob
 * created at load) with a stub. The recorder runs with `recordCanvas: false`, so that code can never run. Fails the
 * build, rather than shipping it silently, if another rrweb version moves the markers.
 */
export const withoutRrwebCanvas: Plugin = {
  name: 'without-rrweb-canvas',
  setup(b) {
    b.onLoad({ filter: /[\\/]@rrweb[\\/]record[\\/]dist[\\/]record\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const start = source.indexOf(CANVAS_START);
      const end = source.indexOf(CANVAS_END);
      const cut = source.slice(start, end);
      if (start < 0 || end < start || !cut.includes('class CanvasManager {') || source.indexOf(CANVAS_START, start + 1) >= 0) {
        throw new Error('@rrweb/record changed: update withoutRrwebCanvas in tracker/build.ts');
      }
      return { contents: source.slice(0, start) + CANVAS_STUB + source.slice(end), loader: 'js' };
    });
  },
};

/**
 * Bundles a browser entry (a TypeScript file) into one minified IIFE for ES2020 browsers (Chrome 80+, Safari 13.1+,
 * Firefox 74+; the install snippet keeps older ones from loading it), as JavaScript text. `plugins`: the canvas stub by
 * default; the benchmark passes none to build stock rrweb as its reference.
 */
export async function bundleForBrowser(entry: string, plugins: Plugin[] = [withoutRrwebCanvas]): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins,
    // Properties ending in `_` are private to one bundle (capture modules, commands, recorder loader): esbuild
    // shortens them. Nothing crossing a bundle (the recorder bridge, the inlined config, wire keys) may end in `_`.
    mangleProps: /_$/,
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}

/** The eager core, with `__LOUPE_CONFIG__` still in it. */
export const buildCoreBundle = (): Promise<string> => bundleForBrowser(path.join(ROOT, 'src/main.ts'));

/** The recorder bundle (`@rrweb/record` + masking + chunk uploads). */
export const buildRecorderBundle = (): Promise<string> => bundleForBrowser(path.join(ROOT, 'src/recorder/main.ts'));

/** The pure-JS SHA-256 for `loupe('identify')` on pages without `crypto.subtle`. */
export const buildSha256Bundle = (): Promise<string> => bundleForBrowser(path.join(ROOT, 'src/sha256Fallback.ts'));

/** Short content hash for immutable URLs. */
export const contentHash = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 12);

/** The core with a project's settings inlined; `<` is escaped so the JSON cannot close a script element. */
export function inlineConfig(core: string, config: object): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return core.replace(CONFIG_PLACEHOLDER, () => json);
}

export const gzipSize = (text: string): number => gzipSync(text, { level: 9 }).length;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await mkdir(path.join(ROOT, 'dist'), { recursive: true });
  for (const [name, make] of [['core.js', buildCoreBundle], ['recorder.js', buildRecorderBundle], ['sha256.js', buildSha256Bundle]] as const) {
    const js = await make();
    await writeFile(path.join(ROOT, 'dist', name), js);
    process.stdout.write(`wrote dist/${name}: ${js.length} bytes, ${gzipSize(js)} gzip\n`);
  }
}
