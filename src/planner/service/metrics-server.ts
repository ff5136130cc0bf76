import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Registry} from 'prom-client';
import {badInput} from '../../errors/errors.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves a registry at GET /metrics (the planner's own dynamo_planner_* series, for Prometheus to scrape). */
export async function startMetricsServer(registry: Registry, port: number, host = '127.0.0.1'): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, {'content-type': 'text/plain; charset=utf-8'}).end('Not found: the planner serves GET /metrics.\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, {'content-type': registry.contentType}).end(text),
      (error: unknown) => res.writeHead(500, {'content-type': 'text/plain; charset=utf-8'}).end(`${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(badInput(`Cannot serve the planner's metrics on ${host}:${port}: ${error.code ?? error.message}.`, 'Choose another --metrics-port.', 'E_METRICS_LISTEN')));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
