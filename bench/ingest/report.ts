/** Phase 5: the printed report — the comparison table and the notes under it (layouts, CPU, lag, foreign load, row checks). */
import os from 'node:os';
import { CONNECTIONS, EVENTS_PER_BATCH, LAYOUTS, RUNS } from './config.ts';
import type { EmbeddedResult } from './embedded.ts';
import type { PacedResult } from './paced.ts';
import { cpuLine, type RunResult } from './pipelineRun.ts';
import { medianRate, type SaturationResult } from './saturation.ts';
import type { Layout } from './stack.ts';
import { fmtInt, fmtMs, fmtRatio, median, table } from './util.ts';

export interface ReportInput {
  /** When the bench started (ms since the epoch), for the total time. */
  started: number;
  /** Batches per PostgreSQL saturation run. */
  batches: number;
  /** Final event rows per PostgreSQL saturation run (from the reference rows). */
  eventRows: number;
  /** The PostgreSQL reference, event rows/s per run. */
  refPg: { unnest: number[]; copy: number[] };
  saturation: SaturationResult;
  paced: PacedResult;
  embedded: EmbeddedResult;
  /** Every run whose row counts differ from the reference. */
  mismatches: string[];
  /** The bench created the pipeline database (else DATABASE_URL was given). */
  pipelineOwned: boolean;
}

/** The report the bench prints on stdout, as one string ending in a newline. */
export function formatReport(input: ReportInput): string {
  const { started, batches, refPg, mismatches } = input;
  const { sat, chosen } = input.saturation;
  const { runs: paced, rate: pacedRate } = input.paced;
  const { sat: liteSat, paced: litePaced, reference: liteRef } = input.embedded;
  const medSat = (l: Layout) => medianRate(sat[l]);
  const med = (rs: RunResult[], f: (r: RunResult) => number) => median(rs.map(f));
  const evs = (x: number) => `${fmtInt(x)} ev/s`;
  const yesNo = (ok: boolean | null) => (ok === null ? '—' : ok ? 'yes' : 'NO');
  const loupeSat = medSat(chosen);
  const refUnnest = median(refPg.unnest);
  const refCopy = median(refPg.copy);
  // Each round times the reference right before the pipeline, so a round's two figures share the machine's state: the
  // ratio is the median of the rounds' ratios (the medians' ratio when the rounds do not pair up).
  const pairs = sat[chosen].slice(0, refPg.unnest.length).map((r, i) => r.eventRowsPerS / refPg.unnest[i]!);
  const ratio = pairs.length > 0 ? median(pairs) : loupeSat / refUnnest;
  const pacedP99 = med(paced, (r) => r.latP99);
  const liteSatMed = med(liteSat, (r) => r.eventRowsPerS);
  const liteRefMed = median(liteRef);
  const other: Layout | undefined = LAYOUTS.find((l) => l !== chosen);
  const rows: string[][] = [
    ['PostgreSQL + Redis (BullMQ)'],
    [`pipeline at saturation, ${chosen} workers (chosen)`, evs(loupeSat), evs(refUnnest), fmtRatio(ratio), '≥ 0.50', yesNo(Number.isFinite(ratio) ? ratio >= 0.5 : null)],
  ];
  if (other) {
    const o = medSat(other);
    rows.push([`pipeline at saturation, ${other} workers`, evs(o), evs(refUnnest), fmtRatio(o / refUnnest), 'info', '—']);
  }
  rows.push(
    ['same pipeline vs bare COPY (2 connections)', evs(loupeSat), evs(refCopy), fmtRatio(loupeSat / refCopy), 'info', '—'],
    ['/collect accept rate at saturation (tracker events)', evs(med(sat[chosen], (r) => r.acceptedEventsPerS)), '—', '—', 'info', '—'],
    ['lag accept → queryable p50 at saturation (backlog)', fmtMs(med(sat[chosen], (r) => r.lagP50)), '—', '—', 'info', '—'],
    ['lag accept → queryable p99 at saturation (backlog)', fmtMs(med(sat[chosen], (r) => r.lagP99)), '—', '—', 'info', '—'],
    [`lag accept → queryable p50 at 70% (${fmtInt(pacedRate)} req/s)`, fmtMs(med(paced, (r) => r.lagP50)), '—', '—', 'info', '—'],
    [`lag accept → queryable p99 at 70%`, fmtMs(med(paced, (r) => r.lagP99)), '—', '—', 'info', '—'],
    [`/collect latency p50 at 70%`, fmtMs(med(paced, (r) => r.latP50)), '—', '—', 'info', '—'],
    [`/collect latency p99 at 70%`, fmtMs(pacedP99), '—', '—', '< 20 ms', yesNo(Number.isFinite(pacedP99) ? pacedP99 < 20 : null)],
    ['batches per worker transaction, saturation / 70%', `${med(sat[chosen], (r) => r.batchesPerTxn).toFixed(1)} / ${med(paced, (r) => r.batchesPerTxn).toFixed(1)}`, '—', '—', 'info', '—'],
    ['Embedded default (PGlite + in-process queue)'],
    ['pipeline at saturation', evs(liteSatMed), evs(liteRefMed), fmtRatio(liteSatMed / liteRefMed), 'info', '—'],
    [`lag accept → queryable p50 / p99 at 70%`, `${fmtMs(med(litePaced, (r) => r.lagP50))} / ${fmtMs(med(litePaced, (r) => r.lagP99))}`, '—', '—', 'info', '—'],
    [`/collect latency p50 at 70%`, fmtMs(med(litePaced, (r) => r.latP50)), '—', '—', 'info', '—'],
    [`/collect latency p99 at 70%`, fmtMs(med(litePaced, (r) => r.latP99)), '—', '—', 'info', '—'],
  );

  const out: string[] = [];
  out.push('');
  out.push(`Loupe ingest benchmark — ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`);
  out.push(
    `All processes share these ${os.cpus().length} cores: api (this process), worker process (separate layout), load generator ` +
      '(its own process), PostgreSQL, Redis.',
  );
  out.push(
    `Workload: ${fmtInt(batches)} batches × ${EVENTS_PER_BATCH} events per saturation run (${fmtInt(input.eventRows)} final event rows, ` +
      `scroll samples included), ${CONNECTIONS} keep-alive connections; ` +
      `median of ${RUNS} runs per figure.`,
  );
  out.push(
    'Events/s = final event rows (page_views, clicks, scrolls, js_errors, custom_tags, custom_events, checkout_events) per second, from the ' +
      "first request to the last worker transaction's commit; the reference inserts the same rows (plus their sessions and " +
      'visitors) into a freshly migrated database: bare INSERT … SELECT FROM unnest, 5k-row chunks, 2 connections. ' +
      "Each round runs the reference just before the pipeline; the chosen layout's ratio is the median of the rounds' ratios.",
  );
  if (pairs.length > 0) out.push(`Rounds (pipeline / reference): ${pairs.map((p, i) => `${fmtInt(sat[chosen][i]!.eventRowsPerS)} / ${fmtInt(refPg.unnest[i]!)} = ${fmtRatio(p)}`).join('; ')}.`);
  out.push('');
  out.push(table(['measure', 'Loupe', 'reference', 'ratio', 'target', 'met?'], rows));
  out.push('');
  if (LAYOUTS.length > 1 && sat.inline.length && sat.separate.length) {
    out.push(
      `Layout: ${chosen} kept — median ${evs(medSat(chosen))} vs ${evs(medSat(other!))} for ${other} ` +
        `(runs: inline ${sat.inline.map((r) => fmtInt(r.eventRowsPerS)).join(', ')}; separate ${sat.separate.map((r) => fmtInt(r.eventRowsPerS)).join(', ')}; ` +
        'the slower layout is not re-run once it trails by more than 20%).',
    );
  }
  for (const l of LAYOUTS) {
    const rs = sat[l];
    if (!rs.length) continue;
    const mid = [...rs].sort((a, b) => a.eventRowsPerS - b.eventRowsPerS)[rs.length >> 1]!;
    out.push(`CPU, ${l} (median run): ${cpuLine(mid)}`);
  }
  if (paced.length) out.push(`CPU, ${chosen} at 70% (median run): ${cpuLine([...paced].sort((a, b) => a.latP99 - b.latP99)[paced.length >> 1]!)}`);
  if (liteSat.length) out.push(`CPU, embedded (median run): ${cpuLine([...liteSat].sort((a, b) => a.eventRowsPerS - b.eventRowsPerS)[liteSat.length >> 1]!)}`);
  const lagSources = new Set([...paced, ...litePaced, ...sat.inline, ...sat.separate].map((r) => r.lagSource));
  out.push(
    `Lag: at 70% from the moment each 200 reached the client to the commit of the worker transaction that wrote its rows` +
      (lagSources.has('processed_at') ? ' (some rows fell back to processed_at, the transaction START)' : '') +
      '; at saturation from inbox received_at, i.e. it includes the backlog the workers are draining.',
  );
  const all = [...sat.inline, ...sat.separate, ...paced, ...liteSat, ...litePaced];
  const foreign = all.map((r) => {
    const other = Object.entries(r.cpu.byGroup).filter(([k]) => k.startsWith('other:')).reduce((n, [, v]) => n + v, 0);
    return other / (r.cpu.wall * os.cpus().length);
  });
  if (foreign.length) {
    const worst = Math.max(...foreign);
    out.push(
      `Foreign load: processes outside the benchmark used ${(median(foreign) * 100).toFixed(0)}% of the machine in the median run, ` +
        `${(worst * 100).toFixed(0)}% at worst` +
        (worst > 0.1 ? ' — WARNING: something else was running; figures from those runs are pessimistic.' : '.'),
    );
  }
  const failures = [...sat.inline, ...sat.separate, ...paced, ...liteSat, ...litePaced].filter((r) => r.non2xx || r.errors);
  if (failures.length) out.push(`WARNING: ${failures.length} runs saw non-2xx responses or errors.`);
  out.push(mismatches.length ? `WARNING: row counts differ from the reference: ${mismatches.join('; ')}` : 'Row counts per table: pipeline = reference in every run.');
  if (!input.pipelineOwned) out.push('Note: DATABASE_URL was given, so its tables were not truncated between runs (rows are counted per project).');
  out.push(`Total time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return out.join('\n') + '\n';
}
