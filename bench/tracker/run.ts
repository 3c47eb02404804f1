/**
 * `npm run bench:tracker`: main-thread cost of the Loupe tracker against clarity-js and stock `@rrweb/record`, on a
 * ~10k-element store page with a scripted visit (scrolling, 20 clicks, typing), against a no-script baseline.
 * Candidates alternate round by round in one Chromium; each run records a DevTools trace over CDP and counts
 * thread time of main-thread tasks (script evaluation, listeners, timers, idle callbacks, microtasks included).
 * Uploads go to a local sink. Prints medians, ratios to clarity-js and gzip sizes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { buildCoreBundle, buildRecorderBundle, bundleForBrowser, gzipSize, inlineConfig } from '@loupe/tracker/build';
import { storePage, visit } from './page.ts';
import { figures, type TraceEvent, type TraceFigures } from './trace.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const require = createRequire(import.meta.url);

interface Candidate {
  name: string;
  /** Script URL path attributed to the candidate (null: baseline). */
  script: string | null;
  head: (origin: string) => string;
}

async function main(): Promise<void> {
  const core = await buildCoreBundle();
  const recorder = await buildRecorderBundle();
  // Stock rrweb: without the canvas stub the Loupe recorder is built with.
  const rrwebAlone = await bundleForBrowser(new URL('./rrwebAlone.ts', import.meta.url).pathname, []);
  const clarity = await readFile(require.resolve('clarity-js/build/clarity.min.js'), 'utf8');
  const files = new Map<string, string>();
  let origin = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const cors = { 'access-control-allow-origin': req.headers.origin ?? '*' };
    if (req.method === 'POST') {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(path === '/record/start' ? '{"record":true,"masking":"balanced"}' : '{"stored":true}');
      });
      return;
    }
    const body = files.get(path);
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/html', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = (recording: boolean) => ({
    key: 'pk_bench_bench', collect: `${origin}/collect`, record: `${origin}/record`, recorder: `${origin}/s/recorder.js`,
    sha256: `${origin}/s/sha256.js`, consentRequired: false, honorDnt: false, masking: 'balanced', recording, sampleRate: 1,
    salt: 'bench', cookieDomain: '',
  });
  files.set('/s/loupe-core.js', inlineConfig(core, config(false)));
  files.set('/s/loupe-full.js', inlineConfig(core, config(true)));
  files.set('/s/recorder.js', recorder);
  files.set('/s/rrweb.js', rrwebAlone);
  files.set('/s/clarity.js', clarity);

  const candidates: Candidate[] = [
    { name: 'baseline (no script)', script: null, head: () => '' },
    { name: 'loupe eager core', script: '/s/loupe-core.js', head: (o) => `<script async src="${o}/s/loupe-core.js"></script>` },
    { name: 'loupe core + recorder', script: '/s/', head: (o) => `<script async src="${o}/s/loupe-full.js"></script>` },
    { name: '@rrweb/record alone', script: '/s/rrweb.js', head: (o) => `<script async src="${o}/s/rrweb.js"></script>` },
    {
      name: 'clarity-js',
      script: '/s/clarity.js',
      head: (o) =>
        `<script>window.clarity=function(){(clarity.q=clarity.q||[]).push(arguments)};clarity('start',{projectId:'bench',upload:'${o}/clarity',track:true,content:true});</script>` +
        `<script async src="${o}/s/clarity.js"></script>`,
    },
  ];
  candidates.forEach((c, i) => files.set(`/p${i}.html`, storePage(c.head(origin))));

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', `--user-agent=${UA}`] });
  const results = candidates.map(() => [] as TraceFigures[]);
  // One unmeasured visit per candidate first: a fresh browser pays one-time costs (caches, V8 warm-up) in its first
  // pages, which would land on the candidates that come first in round 0, whose order is fixed. The same warm-up
  // for every candidate; BENCH_WARMUP=0 skips it.
  for (let i = 0; i < WARMUP; i++) for (const [c, candidate] of candidates.entries()) await measure(browser, `${origin}/p${c}.html`, candidate.script);
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order each round so drift (thermal, other load) spreads over every candidate.
    const order = candidates.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const c = candidates[i]!;
      results[i]!.push(await measure(browser, `${origin}/p${i}.html`, c.script));
      process.stdout.write('.');
    }
  }
  process.stdout.write('\n');
  await browser.close();
  server.close();
  report(candidates, results, { core, recorder, rrwebAlone, clarity });
  // Every round's figures, for a closer look at the noise.
  if (process.env.BENCH_JSON) await writeFile(process.env.BENCH_JSON, JSON.stringify(candidates.map((c, i) => ({ name: c.name, rounds: results[i] })), null, 1));
}

async function measure(browser: import('playwright-core').Browser, url: string, script: string | null): Promise<TraceFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'toplevel', '__metadata'] },
  });
  await page.goto(url);
  await visit(page);
  await cdp.send('Tracing.end');
  await done;
  await context.close();
  return figures(events, script);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? ((s[(s.length - 1) >> 1] ?? 0) + (s[s.length >> 1] ?? 0)) / 2 : 0;
};

function report(candidates: Candidate[], results: TraceFigures[][], js: Record<string, string>): void {
  const baseRuns = results[0]!.map((x) => x.totalCpuMs);
  const base = median(baseRuns);
  const rows = candidates.map((c, i) => {
    const r = results[i]!;
    return {
      name: c.name,
      total: median(r.map((x) => x.totalCpuMs)),
      added: median(r.map((x) => x.totalCpuMs)) - base,
      // Each round's total minus the same round's baseline: drift between rounds (other load on a shared machine)
      // cancels out, which subtracting one baseline median over all rounds does not do.
      paired: median(r.map((x, round) => x.totalCpuMs - (baseRuns[round] ?? base))),
      script: median(r.map((x) => x.scriptCpuMs)),
      longest: median(r.map((x) => x.longestTaskMs)),
      longestMax: Math.max(...r.map((x) => x.longestTaskMs)),
    };
  });
  const clarity = rows.find((r) => r.name === 'clarity-js')!;
  const pad = (s: string, n: number) => s.padStart(n);
  console.log(`\nTracker benchmark: ${ROUNDS} rounds after ${WARMUP} warm-up, pointer ${process.env.BENCH_POINTER === 'jump' ? 'jump' : 'path'}, medians (ms of main-thread CPU; longest task in wall ms)\n`);
  // `added`/`paired` (all main-thread CPU over the baseline) are the ratios' basis: attribution by URL misses work a
  // script causes without its URL on the stack (MutationObserver callbacks, microtasks, forced layout, GC).
  console.log(
    `${'candidate'.padEnd(24)}${pad('total CPU', 11)}${pad('added', 9)}${pad('× clarity', 11)}${pad('paired', 9)}${pad('× clarity', 11)}${pad('own CPU', 9)}${pad('longest', 9)}${pad('max', 7)}`,
  );
  for (const r of rows) {
    const ratio = r.script ? (r.added / clarity.added).toFixed(3) : '-';
    const pairedRatio = r.script ? (r.paired / clarity.paired).toFixed(3) : '-';
    console.log(
      `${r.name.padEnd(24)}${pad(r.total.toFixed(0), 11)}${pad(r.added.toFixed(0), 9)}${pad(ratio, 11)}${pad(r.paired.toFixed(0), 9)}${pad(pairedRatio, 11)}${pad(r.script.toFixed(0), 9)}${pad(r.longest.toFixed(0), 9)}${pad(r.longestMax.toFixed(0), 7)}`,
    );
  }
  for (const [i, r] of results.entries()) {
    const worst = r.reduce((a, b) => (b.longestTaskMs > a.longestTaskMs ? b : a), r[0]!);
    if (worst?.longestWhat) console.log(`  ${candidates[i]!.name}: longest event of the worst round (${r.indexOf(worst)}): ${worst.longestWhat}`);
  }
  console.log('(own CPU / longest: outermost events of the script itself; longest = its longest single event, median and max over rounds)');
  console.log('\nSizes (gzip -9, bytes):');
  const core = gzipSize(js.core ?? '');
  const rec = gzipSize(js.recorder ?? '');
  console.log(`  loupe eager core ${core} (target ≤ 6144)   loupe recorder ${rec}   core + recorder ${core + rec} (target ≤ 30720)`);
  console.log(`  @rrweb/record alone ${gzipSize(js.rrwebAlone ?? '')}   clarity-js ${gzipSize(js.clarity ?? '')}`);
  const loupeFull = rows[2]!;
  const loupeCore = rows[1]!;
  console.log('\nTargets:');
  console.log(`  core + recorder added CPU ≤ 0.15 × clarity's: ${(loupeFull.added / clarity.added).toFixed(3)} (paired ${(loupeFull.paired / clarity.paired).toFixed(3)})`);
  console.log(`  eager core added CPU ≤ 0.03 × clarity's: ${(loupeCore.added / clarity.added).toFixed(3)} (paired ${(loupeCore.paired / clarity.paired).toFixed(3)}; own CPU ${(loupeCore.script / clarity.paired).toFixed(3)}); longest ${loupeCore.longestMax.toFixed(0)} ms (≤ 50)`);
  console.log(`  core + recorder added CPU ≤ rrweb alone's (paired): ${loupeFull.paired.toFixed(0)} vs ${rows[3]!.paired.toFixed(0)} ms`);
  console.log(`  recorder longest task ≤ rrweb's: ${loupeFull.longest.toFixed(0)} vs ${rows[3]!.longest.toFixed(0)} ms (medians)`);
}

await main();
process.exit(0);
