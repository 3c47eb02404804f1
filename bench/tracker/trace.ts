/**
 * Reads a DevTools trace: main-thread CPU (thread time of top-level tasks) and the longest task, in total and
 * attributable to one script URL (a task counts for a script when any script event inside it — evaluation, function
 * call, timer, idle callback, event dispatch, microtasks — names that URL).
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
  /** ms of main-thread CPU in tasks that ran the script. */
  scriptCpuMs: number;
  /** ms, wall duration of the longest task that ran the script. */
  longestTaskMs: number;
}

const SCRIPT_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'TimerFire', 'FireIdleCallback', 'EventDispatch', 'v8.compile', 'v8.evaluateModule', 'RunMicrotasks', 'FireAnimationFrame', 'XHRReadyStateChange', 'v8.callFunction', 'V8.Execute']);

export function figures(events: TraceEvent[], scriptUrl: string | null): TraceFigures {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = onMain.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts);
  const marks = scriptUrl
    ? onMain
        .filter((e) => SCRIPT_EVENTS.has(e.name))
        .filter((e) => {
          const d = e.args?.data;
          const url = d?.url || d?.stackTrace?.[0]?.url || '';
          return url.includes(scriptUrl);
        })
        .map((e) => e.ts)
        .sort((a, b) => a - b)
    : [];
  let totalCpu = 0;
  let scriptCpu = 0;
  let longest = 0;
  let m = 0;
  for (const t of tasks) {
    const cpu = t.tdur ?? t.dur ?? 0;
    totalCpu += cpu;
    const end = t.ts + (t.dur ?? 0);
    while (m < marks.length && (marks[m] ?? 0) < t.ts) m++;
    if (m < marks.length && (marks[m] ?? Infinity) <= end) {
      scriptCpu += cpu;
      longest = Math.max(longest, t.dur ?? 0);
    }
  }
  return { totalCpuMs: totalCpu / 1000, scriptCpuMs: scriptCpu / 1000, longestTaskMs: longest / 1000 };
}
