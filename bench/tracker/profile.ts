/**
 * `npx tsx bench/tracker/profile.ts [core|full|rrweb]`: where the tracker's main-thread time goes. Runs the benchmark's
 * visit once with the V8 sampling profiler over CDP, on unminified bundles (readable function names), and prints the
 * functions with the most self time, and the same summed by source file. Complements `npm run bench:tracker`, which
 * measures but does not explain.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { inlineConfig, withoutRrwebCanvas } from '@loupe/tracker/build';
import { storePage, visit } from './page.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const which = process.argv[2] ?? 'full';
const tracker = new URL('../../tracker/src/', import.meta.url).pathname;

/** Like the served bundles, but unminified and with a source comment per module, so samples name functions. */
const bundle = async (entry: string, stock = false): Promise<string> => {
  const r = await build({
    entryPoints: [entry], bundle: true, minify: false, format: 'iife', target: 'es2020', write: false, logLevel: 'silent',
    plugins: stock ? [] : [withoutRrwebCanvas],
  });
  return r.outputFiles[0]!.text;
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const files = new Map<string, string>();
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'access-control-allow-origin': '*' }).end(path === '/record/start' ? '{"record":true,"masking":"balanced"}' : '{}'));
    return;
  }
  const body = files.get(path);
  if (body === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const core = await bundle(`${tracker}main.ts`);
const config = {
  key: 'pk_bench_bench', collect: `${origin}/collect`, record: `${origin}/record`, recorder: `${origin}/s/recorder.js`,
  sha256: `${origin}/s/sha256.js`, consentRequired: false, honorDnt: false, masking: 'balanced', recording: which === 'full',
  sampleRate: 1, salt: 'bench', cookieDomain: '',
};
files.set('/s/core.js', inlineConfig(core, config));
files.set('/s/recorder.js', await bundle(`${tracker}recorder/main.ts`));
files.set('/s/rrweb.js', await bundle(new URL('./rrwebAlone.ts', import.meta.url).pathname, true));
files.set('/p.html', storePage(`<script async src="${origin}/s/${which === 'rrweb' ? 'rrweb' : 'core'}.js"></script>`));

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
await page.goto(`${origin}/p.html`);
await visit(page);
const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] } };
await browser.close();
server.close();

const msPerSample = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
const byFunction = new Map<string, number>();
const byScript = new Map<string, number>();
for (const n of profile.nodes) {
  const ms = (n.hitCount ?? 0) * msPerSample;
  if (!ms) continue;
  const f = n.callFrame;
  const script = f.url ? f.url.replace(origin, '') : `(${f.functionName || 'native'})`;
  const key = `${f.functionName || '(anonymous)'} ${script}:${f.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  byScript.set(script, (byScript.get(script) ?? 0) + ms);
}
const top = (m: Map<string, number>, n: number): string =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`).join('\n');
console.log(`Self time by function (${which}):\n${top(byFunction, 40)}\n\nBy script:\n${top(byScript, 15)}`);
process.exit(0);
