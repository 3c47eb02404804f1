/**
 * The bench process's lifecycle: the progress line, and everything the bench must undo however it ends (normal
 * exit, failure or Ctrl-C): the api/worker of the run in progress, the load generator and other children, then
 * the registered cleanups (databases, Redis keys) in reverse order.
 */
import type { LoadgenRequest } from './loadgen.ts';
import { LoadgenClient } from './loadgenClient.ts';
import { children, stopChild, type Stack } from './stack.ts';
import { Progress } from './util.ts';

export const progress = new Progress();

const cleanups: { what: string; fn: () => Promise<unknown> }[] = [];
let loadgen: LoadgenClient | null = null;
/** The api (and worker) of the run in progress, closed first if the bench is interrupted. */
let currentStack: Stack | null = null;

/** Registers something to undo at exit; cleanups run in reverse order of registration. */
export function onCleanup(what: string, fn: () => Promise<unknown>): void {
  cleanups.push({ what, fn });
}

/** Records the stack of the run in progress (or `null` once it is closed), so an interruption closes it first. */
export function trackStack(stack: Stack | null): void {
  currentStack = stack;
}

/** Forks the load generator; it is told to exit (and killed if need be) at cleanup. */
export function startLoadgen(): LoadgenClient {
  loadgen = new LoadgenClient();
  return loadgen;
}

let cleaning: Promise<void> | null = null;
/** Idempotent: a signal and the failing main() it causes share one cleanup. */
function cleanup(): Promise<void> {
  cleaning ??= doCleanup();
  return cleaning;
}

async function doCleanup(): Promise<void> {
  // Connections the cleanup itself cuts (dropping a database terminates its backends) must not crash it.
  process.on('uncaughtException', (err) => process.stderr.write(`(during cleanup) ${err.message}\n`));
  const stack = currentStack;
  currentStack = null;
  if (stack) await Promise.race([stack.close(), new Promise((r) => setTimeout(r, 15_000).unref())]).catch(() => undefined);
  if (loadgen?.child.connected) loadgen.child.send({ cmd: 'exit' } satisfies LoadgenRequest, () => undefined);
  for (const c of [...children]) await stopChild(c, 3000).catch(() => undefined);
  for (const { what, fn } of cleanups.splice(0).reverse()) {
    await fn().catch((err: unknown) => process.stderr.write(`cleanup (${what}) failed: ${err instanceof Error ? err.message : String(err)}\n`));
  }
}

/**
 * Runs `main` and exits the process: 0 on success, 1 on failure, 130 on SIGINT/SIGTERM — always after the
 * cleanup. A second signal exits at once.
 */
export function runMain(main: () => Promise<void>): void {
  let exiting = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (exiting) process.exit(1);
      exiting = true;
      progress.stop();
      process.stderr.write(`\n${signal}: cleaning up…\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  main().then(
    async () => {
      await cleanup();
      process.exit(0);
    },
    async (err: unknown) => {
      progress.stop();
      if (!exiting) process.stderr.write(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      await cleanup();
      process.exit(exiting ? 130 : 1);
    },
  );
}
