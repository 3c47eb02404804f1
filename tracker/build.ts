/**
 * Bundles the demo tracker (and, for the api, other browser scripts). The api calls `buildDemoBundle()` at its
 * first `/demo/loupe.js` request; `npm run build -w @loupe/tracker` writes the same bundle to `dist/demo.js`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** Bundles a browser entry (a TypeScript file) into one minified IIFE for ES2019 browsers, as JavaScript text. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}

/** The minified demo tracker: transport + demo capture, configured by its script tag. */
export const buildDemoBundle = (): Promise<string> => bundleForBrowser(path.join(ROOT, 'src/demo.ts'));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const js = await buildDemoBundle();
  const file = path.join(ROOT, 'dist/demo.js');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, js);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (${js.length} bytes)\n`);
}
