// A small OpenAI-compatible router in front of the local fleet: each request goes to the engine with the fewest
// requests in flight, responses (SSE streams included) are piped through as they arrive, and an engine can be
// drained: it gets no new requests and is released once its last one finishes.
import {Agent, createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {getText} from '../../observe/http-get.js';
import {formatPrometheusText, type MetricSample, parsePrometheusText} from '../../observe/prometheus-text.js';

export interface RoutedEngine {
  id: string;
  url: string;
  inFlight: number;
  draining: boolean;
  /** Requests sent to it so far. */
  routed: number;
}

interface EngineEntry extends RoutedEngine {
  idle: (() => void)[];
}

export class Router {
  private readonly engines = new Map<string, EngineEntry>();
  private readonly agent = new Agent({keepAlive: true});
  private turn = 0;

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(options: {host?: string; port?: number} = {}): Promise<Router> {
    let router: Router | undefined;
    const server = createServer((req, res) => router!.handle(req, res));
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, resolve);
    });
    const {port} = server.address() as AddressInfo;
    router = new Router(server, `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
    return router;
  }

  add(id: string, url: string): void {
    this.engines.set(id, {id, url: url.replace(/\/+$/, ''), inFlight: 0, draining: false, routed: 0, idle: []});
  }

  /** Stops sending it requests; resolves when its in-flight requests have finished (or at once if it has none). */
  drain(id: string): Promise<void> {
    const engine = this.engines.get(id);
    if (!engine) return Promise.resolve();
    engine.draining = true;
    if (engine.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => engine.idle.push(resolve));
  }

  remove(id: string): void {
    const engine = this.engines.get(id);
    this.engines.delete(id);
    for (const resolve of engine?.idle.splice(0) ?? []) resolve();
  }

  list(): RoutedEngine[] {
    return [...this.engines.values()].map(({idle: _, ...engine}) => ({...engine}));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }

  /** The least-loaded engine taking requests; ties go round-robin so an idle fleet still spreads its load. */
  private pick(): EngineEntry | undefined {
    const open = [...this.engines.values()].filter((engine) => !engine.draining);
    if (open.length === 0) return undefined;
    const least = Math.min(...open.map((engine) => engine.inFlight));
    const tied = open.filter((engine) => engine.inFlight === least);
    return tied[this.turn++ % tied.length];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') void this.metrics(res);
    else if (req.method === 'GET' && path === '/engines') sendJson(res, 200, {engines: this.list()});
    else this.proxy(req, res);
  }

  private proxy(req: IncomingMessage, res: ServerResponse): void {
    const engine = this.pick();
    if (!engine) {
      req.resume();
      sendJson(res, 503, {error: {message: 'No engine is ready yet.', type: 'ServiceUnavailable', code: 503}});
      return;
    }
    engine.inFlight++;
    engine.routed++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      engine.inFlight--;
      if (engine.inFlight === 0) for (const resolve of engine.idle.splice(0)) resolve();
    };
    const target = new URL(req.url ?? '/', engine.url);
    const upstream = httpRequest(target, {method: req.method, headers: {...req.headers, host: target.host}, agent: this.agent}, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders();
      answer.pipe(res);
      answer.on('end', release);
      answer.on('error', () => {
        release();
        res.destroy();
      });
    });
    upstream.on('error', (error) => {
      release();
      if (!res.headersSent) sendJson(res, 502, {error: {message: `Engine ${engine.id} failed: ${error.message}`, type: 'BadGateway', code: 502}});
      else res.destroy();
    });
    // A client that goes away aborts the engine's work too, as it would talking to the engine directly.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      release();
    });
    req.pipe(upstream);
  }

  /** Every engine's series in one exposition, the `engine` label naming the engine; plus the router's in-flight gauge. */
  private async metrics(res: ServerResponse): Promise<void> {
    const engines = [...this.engines.values()];
    const scraped = await Promise.all(engines.map((engine) => getText(`${engine.url}/metrics`, {timeoutMs: 2000})));
    const samples: MetricSample[] = [];
    const types = new Map<string, string>([['dynamo_plan_router_in_flight_requests', 'gauge']]);
    const help = new Map<string, string>([['dynamo_plan_router_in_flight_requests', 'Requests the router has sent to an engine and not yet seen finish.']]);
    for (const [index, result] of scraped.entries()) {
      const engine = engines[index]!;
      samples.push({name: 'dynamo_plan_router_in_flight_requests', labels: {engine: engine.id}, value: engine.inFlight});
      if (!result.ok) continue;
      const parsed = parsePrometheusText(result.text);
      for (const [name, type] of parsed.types) if (!types.has(name)) types.set(name, type);
      for (const [name, text] of parsed.help) if (!help.has(name)) help.set(name, text);
      for (const sample of parsed.samples) {
        const core = sample.labels.engine;
        samples.push({...sample, labels: {...sample.labels, engine: core === undefined || core === '0' ? engine.id : `${engine.id}-${core}`}});
      }
    }
    res.writeHead(200, {'content-type': 'text/plain; version=0.0.4; charset=utf-8'});
    res.end(formatPrometheusText({samples, types, help}));
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json'});
  res.end(JSON.stringify(body));
}
