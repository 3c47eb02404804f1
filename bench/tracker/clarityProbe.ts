/**
 * `npx tsx bench/tracker/clarityProbe.ts`: what clarity-js did during the benchmark's visit, from the uploads its
 * sink received (count, bytes, event types, a Limit event means it shut itself down). A diagnostic of the
 * calibration gap (docs/tracker.md), not part of the benchmark.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { storePage, visit } from './page.ts';

const require = createRequire(import.meta.url);
const clarity = await readFile(require.resolve('clarity-js/build/clarity.min.js'), 'utf8');
const bodies: Buffer[] = [];
let origin = '';
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method === 'POST') {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(parts));
      res.writeHead(200, { 'access-control-allow-origin': req.headers.origin ?? '*' }).end('{"stored":true}');
    });
    return;
  }
  if (path === '/s/clarity.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(clarity);
  res.writeHead(200, { 'content-type': 'text/html' }).end(
    storePage(
      `<script>window.clarity=function(){(clarity.q=clarity.q||[]).push(arguments)};clarity('start',{projectId:'bench',upload:'${origin}/clarity',track:true,content:true});</script>` +
        `<script async src="${origin}/s/clarity.js"></script>`,
    ),
  );
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
await page.goto(`${origin}/p.html`);
await visit(page);
await browser.close();
server.close();
const types = new Map<number, number>();
let bytes = 0;
for (const b of bodies) {
  bytes += b.length;
  const text = (b[0] === 0x1f ? gunzipSync(b) : b).toString('utf8');
  const payload = JSON.parse(text) as { a: unknown[][]; p?: unknown[][] };
  for (const e of [...payload.a, ...(payload.p ?? [])]) types.set(e[1] as number, (types.get(e[1] as number) ?? 0) + 1);
}
console.log(`uploads ${bodies.length}, ${bytes} bytes on the wire`);
console.log('events by type (5 discover, 6 mutation, 12 mousemove, 35 limit):', Object.fromEntries([...types].sort((a, b) => a[0] - b[0])));
process.exit(0);
