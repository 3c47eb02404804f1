/** Small helpers: percentiles, medians, the text table, the stderr progress line, per-process CPU accounting. */
import { readdirSync, readFileSync } from 'node:fs';

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const fmtInt = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
export const fmtMs = (x: number): string => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)) + ' ms' : '—');
export const fmtRatio = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '—');

/** Aligned text table; numeric-looking cells are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = (s: string) => /^[-+≥<>~]?\s?[\d.,]+( ms| ev\/s| rows\/s| req\/s|%)?$/.test(s.trim()) || s === '—';
  const line = (cells: string[]) =>
    cells.map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(header), sep, ...rows.map((r) => (r.length === 1 ? r[0]! : line(r)))].join('\n');
}

/** One status line on stderr, redrawn in place on a TTY, one line per phase otherwise. */
export class Progress {
  private phase = '';
  private detail = '';
  private started = Date.now();
  private phaseStarted = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly tty = process.stderr.isTTY === true;

  start(): void {
    this.timer = setInterval(() => this.draw(), 500);
    this.timer.unref();
  }

  set(phase: string, detail = ''): void {
    if (phase !== this.phase) {
      this.phaseStarted = Date.now();
      if (!this.tty) process.stderr.write(`[bench ${this.elapsed(this.started)}] ${phase}${detail ? ` — ${detail}` : ''}\n`);
    }
    this.phase = phase;
    this.detail = detail;
    this.draw();
  }

  detailOnly(detail: string): void {
    this.detail = detail;
  }

  /** A permanent line (results of a step) above the status line. */
  log(text: string): void {
    if (this.tty) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`  ${text}\n`);
    this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty) process.stderr.write('\r\x1b[2K');
  }

  private elapsed(from: number): string {
    return `${((Date.now() - from) / 1000).toFixed(0).padStart(3)}s`;
  }

  private draw(): void {
    if (!this.tty) return;
    const spin = '|/-\\'[Math.floor(Date.now() / 250) % 4];
    const text = `${spin} [${this.elapsed(this.started)}] ${this.phase} (${this.elapsed(this.phaseStarted).trim()})${this.detail ? ` ${this.detail}` : ''}`;
    process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns || 120) - 1)}`);
  }
}

/** CPU time (user + system, seconds) of the processes we care about, read from /proc (Linux). */
export interface CpuSample {
  at: number;
  total: number;
  byGroup: Map<string, number>;
}

const TICKS = 100; // USER_HZ on Linux

const PF_KTHREAD = 0x00200000;

function procCpu(pid: string): { comm: string; seconds: number; kernel: boolean } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // fields after comm: state(0) ppid(1) … flags(6) … utime(11) stime(12)
    return { comm, seconds: (Number(f[11]) + Number(f[12])) / TICKS, kernel: (Number(f[6]) & PF_KTHREAD) !== 0 };
  } catch {
    return null;
  }
}

/**
 * Samples CPU seconds per group: the named pids (api, worker, loadgen), and by command name PostgreSQL and Redis
 * (their processes belong to other users; /proc/<pid>/stat is world-readable), kernel threads (writeback etc.) as
 * `kernel`, anything else as `other:<command>`. `total` is the machine's busy time.
 */
export function sampleCpu(named: Record<string, number | undefined>): CpuSample {
  const byGroup = new Map<string, number>();
  const pidToName = new Map<string, string>();
  for (const [name, pid] of Object.entries(named)) if (pid) pidToName.set(String(pid), name);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const p = procCpu(pid);
    if (!p) continue;
    const group =
      pidToName.get(pid) ??
      (p.comm === 'postgres' ? 'postgres' : p.comm.startsWith('redis-server') ? 'redis' : p.kernel ? 'kernel' : `other:${p.comm}`);
    byGroup.set(group, (byGroup.get(group) ?? 0) + p.seconds);
  }
  // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already inside user)
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const at = (i: number) => f[i] ?? 0;
  const total = (at(0) + at(1) + at(2) + at(5) + at(6)) / TICKS;
  byGroup.set('steal', at(7) / TICKS);
  byGroup.set('softirq', at(6) / TICKS);
  return { at: Date.now(), total, byGroup };
}

/** CPU seconds used per group between two samples (postgres backends that exited in between are missed). */
export function cpuDelta(a: CpuSample, b: CpuSample): { wall: number; total: number; byGroup: Record<string, number> } {
  const byGroup: Record<string, number> = {};
  // Processes that started in between count whole; ones that exited in between are missed.
  for (const [k, v] of b.byGroup) byGroup[k] = Math.max(0, v - (a.byGroup.get(k) ?? 0));
  return { wall: (b.at - a.at) / 1000, total: b.total - a.total, byGroup };
}
