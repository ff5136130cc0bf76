import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Registry} from 'prom-client';
import {badInput} from '../../errors/errors.js';
import {escapeHtml} from '../../report/escape.js';
import type {DiagnosticsRecorder} from './recorder.js';

export interface PlannerDashboardOptions {
  recorder: DiagnosticsRecorder;
  /** 0 picks a free port. */
  port: number;
  /** Loopback unless told otherwise: the page shows the deployment's traffic and model. */
  host?: string;
  /** Also serves this registry at GET /metrics. */
  registry?: Registry;
  /** Shown on the page before the first tick. */
  title?: string;
}

export interface PlannerDashboard {
  url: string;
  close(): Promise<void>;
}

/** How often the page without data reloads itself (Dynamo's live dashboard: 5 s). */
export const EMPTY_REFRESH_S = 5;

/**
 * The live dashboard: GET / is the diagnostics report of the ticks recorded so far (the window is not cleared), or,
 * before the first tick, a small page that reloads itself; GET /metrics serves the registry when one is given.
 */
export async function startPlannerDashboard(options: PlannerDashboardOptions): Promise<PlannerDashboard> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    route(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, {'content-type': 'text/plain; charset=utf-8'});
      res.end(`Internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(badInput(`Cannot serve the planner dashboard on ${host}:${options.port}: ${error.code ?? error.message}.`, 'Choose another dashboard port, or 0 for any free one.', 'E_DASHBOARD_LISTEN')));
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function route(options: PlannerDashboardOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, {allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8'}).end('Method not allowed.\n');
    return;
  }
  if (path === '/') {
    const html = options.recorder.renderHtml() ?? noDataPage(options.title ?? 'Planner diagnostics');
    res.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'}).end(req.method === 'HEAD' ? undefined : html);
    return;
  }
  if (path === '/metrics' && options.registry) {
    const text = await options.registry.metrics();
    res.writeHead(200, {'content-type': options.registry.contentType}).end(req.method === 'HEAD' ? undefined : text);
    return;
  }
  res.writeHead(404, {'content-type': 'text/plain; charset=utf-8'}).end('Not found.\n');
}

function noDataPage(title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${EMPTY_REFRESH_S}">
<title>${escapeHtml(title)}</title>
</head>
<body style="font-family: system-ui, sans-serif; padding: 1.5rem;">
<h1>${escapeHtml(title)}</h1>
<p>No data yet: the planner has not completed a tick. This page reloads every ${EMPTY_REFRESH_S} s.</p>
</body>
</html>
`;
}
