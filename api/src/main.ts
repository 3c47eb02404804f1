/**
 * The api entry point. On the embedded default (no REDIS_URL) workers run in this process; with Redis they run in
 * `worker.ts` processes unless LOUPE_INLINE_WORKERS=true.
 */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { ensureDemoProject } from './projects/ensureDemoProject.ts';
import { createRuntime } from './runtime.ts';
import { listen } from './server.ts';
import { onShutdown } from './shutdown.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = await createRuntime(config, logger);
  if (!config.REDIS_URL || config.LOUPE_INLINE_WORKERS) runtime.startWorkers();
  const running = await listen(runtime, config.HOST, config.PORT);
  const base = config.LOUPE_PUBLIC_URL ?? running.url;
  logger.info({ url: base, database: runtime.deps.db.kind, queue: config.REDIS_URL ? 'bullmq' : 'in-process' }, 'Loupe api listening');
  if (config.LOUPE_DEMO) await ensureDemoProject(runtime.deps, base);
  else process.stdout.write(`\nLoupe is running at ${base}  (API docs: ${base}/docs)\n\n`);
  onShutdown(logger, () => running.close());
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`Loupe failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
