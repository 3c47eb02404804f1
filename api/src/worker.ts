/** The worker entry point (Redis mode): consumes ingest jobs and runs the sweeper. Run as many as you like. */
import os from 'node:os';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createRuntime } from './runtime.ts';
import { onShutdown } from './shutdown.ts';
import { ingestWorkerSettings } from './workers/startWorkers.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'loupe-worker');
  if (!config.REDIS_URL) {
    throw new ConfigError('the worker process needs REDIS_URL (on the embedded default, workers run inside the api: npm start)');
  }
  // Workers catch up in idle time; on a shared machine the api's request latency should win the CPU.
  if (config.LOUPE_WORKER_NICE > 0) os.setPriority(config.LOUPE_WORKER_NICE);
  const runtime = await createRuntime(config, logger);
  runtime.startWorkers();
  logger.info(ingestWorkerSettings(config, 'postgres'), 'Loupe worker started');
  onShutdown(logger, () => runtime.close());
}

main().catch((err: unknown) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
