/**
 * Summarises V8 .cpuprofile files (from `--cpu-prof`): self time by function and by package/file, and inclusive
 * time of the functions whose name matches a filter.
 *
 *   npx tsx bench/ingest/profileSummary.ts <file.cpuprofile> [topN] [inclusive-filter-regex]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg, filter] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profileSummary.ts <file.cpuprofile> [topN] [inclusive-filter-regex]\n');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
prof.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const short = (url: string) => {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return url.replace(/^file:\/\/\/work\/main\//, '') || '(native)';
};
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  byFn.set(label(n), (byFn.get(label(n)) ?? 0) + us);
  const f = n.callFrame.url ? short(n.callFrame.url) : n.callFrame.functionName || '(native)';
  byFile.set(f, (byFile.get(f) ?? 0) + us);
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const print = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(v)} ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
};
process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n`);
print('self time by function', byFn);
print('self time by file / package', byFile);

if (filter) {
  // Inclusive time: a sample counts once for each distinct matching frame on its stack.
  const re = new RegExp(filter);
  const incl = new Map<string, number>();
  prof.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const l = label(n);
      if (re.test(l) && !seen.has(l)) {
        seen.add(l);
        incl.set(l, (incl.get(l) ?? 0) + (prof.timeDeltas[i] ?? 0));
      }
    }
  });
  print(`inclusive time of frames matching /${filter}/`, incl);
}
