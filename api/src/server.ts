import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { collectFastPath } from './ingest/collectFastPath.ts';
import type { Runtime } from './runtime.ts';

export interface RunningServer {
  url: string;
  server: http.Server;
  /** Stops accepting connections, waits for requests in flight, then closes the runtime. */
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one) and wires graceful shutdown. */
export async function listen(runtime: Runtime, host: string, port: number): Promise<RunningServer> {
  const app = createApp(runtime.deps);
  const collect = collectFastPath(runtime.deps);
  const server = http.createServer((req, res) => {
    if (!collect(req, res)) void app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  let closing: Promise<void> | null = null;
  return {
    url,
    server,
    close() {
      closing ??= (async () => {
        runtime.deps.accepting = false;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Requests still running after the grace period are cut off; their batches were not acknowledged.
          setTimeout(() => server.closeAllConnections(), 10_000).unref();
        });
        await runtime.close();
      })();
      return closing;
    },
  };
}
