/**
 * Reads a DevTools trace: main-thread CPU (thread time of top-level tasks), and the CPU and longest stretch of work
 * attributable to one script URL: outermost script events (evaluation, compile, function calls from listeners,
 * timers, idle callbacks, animation frames) whose URL or first stack frame is the script.
 */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; stackTrace?: { url?: string }[]; frame?: string } };
}

export interface TraceFigures {
  /** ms of main-thread CPU in top-level tasks. */
  totalCpuMs: number;
  /** ms of main-thread CPU in the script's own events. */
  scriptCpuMs: number;
  /** ms, wall duration of the script's longest single event (its share of the longest task). */
  longestTaskMs: number;
  /** That event's name and thread time (ms): a long wall time with little CPU is waiting (IPC, other load). */
  longestWhat?: string;
}

const SCRIPT_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'TimerFire', 'FireIdleCallback', 'EventDispatch', 'v8.compile', 'v8.evaluateModule', 'RunMicrotasks', 'FireAnimationFrame', 'XHRReadyStateChange', 'v8.callFunction', 'V8.Execute']);

export function figures(events: TraceEvent[], scriptUrl: string | null): TraceFigures {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  let totalCpu = 0;
  for (const t of onMain) if (t.name === 'RunTask') totalCpu += t.tdur ?? t.dur ?? 0;
  if (!scriptUrl) return { totalCpuMs: totalCpu / 1000, scriptCpuMs: 0, longestTaskMs: 0 };
  // The script's own work: outermost script events naming its URL (a timer's FunctionCall is inside its TimerFire).
  const mine = onMain
    .filter((e) => SCRIPT_EVENTS.has(e.name))
    .filter((e) => {
      const d = e.args?.data;
      return (d?.url || d?.stackTrace?.[0]?.url || '').includes(scriptUrl);
    })
    .sort((a, b) => a.ts - b.ts);
  let scriptCpu = 0;
  let longest = 0;
  let longestWhat = '';
  let coveredUntil = -1;
  for (const e of mine) {
    const end = e.ts + (e.dur ?? 0);
    if (end <= coveredUntil) continue;
    coveredUntil = end;
    scriptCpu += e.tdur ?? e.dur ?? 0;
    if ((e.dur ?? 0) > longest) {
      longest = e.dur ?? 0;
      longestWhat = `${e.name} (${((e.tdur ?? 0) / 1000).toFixed(0)} ms CPU)`;
    }
  }
  return { totalCpuMs: totalCpu / 1000, scriptCpuMs: scriptCpu / 1000, longestTaskMs: longest / 1000, longestWhat };
}
