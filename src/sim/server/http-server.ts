import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {FrontOptions} from './front-options.js';
import {handleGeneration} from './generation-handler.js';
import {parseGenerationRequest, ProtocolError} from './openai-protocol.js';
import {tokenize, tokenizeChat, type ChatMessage} from './tokenizer.js';

export interface HttpFrontOptions extends FrontOptions {
  /** Seconds from start until the engine is ready; /health answers 503 before then. */
  startupDelayS: number;
}

export interface HttpFront {
  url: string;
  server: Server;
  ready: Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The OpenAI-compatible HTTP face of a simulated engine, wire-compatible with vLLM's API server. */
export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  let isReady = options.startupDelayS <= 0;
  let markReady: () => void = () => {};
  const ready = isReady ? Promise.resolve() : new Promise<void>((resolve) => (markReady = resolve));
  const readyTimer = isReady ? undefined : setTimeout(() => {
    isReady = true;
    markReady();
  }, options.startupDelayS * 1000);

  const server = createServer({keepAliveTimeout: 65_000, noDelay: true}, (req, res) => {
    route(options, () => isReady, req, res).catch((error: unknown) => sendError(res, error));
  });
  server.headersTimeout = 70_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server,
    ready,
    close: async () => {
      if (readyTimer) clearTimeout(readyTimer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function route(options: HttpFrontOptions, isReady: () => boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/health') {
    res.writeHead(isReady() ? 200 : 503).end();
    return;
  }
  if (method === 'GET' && path === '/metrics') {
    const {contentType, body} = await options.generation.metrics.render();
    res.writeHead(200, {'content-type': contentType}).end(body);
    return;
  }
  if (method === 'GET' && path === '/version') return sendJson(res, 200, {version: 'dynamo-plan-sim'});
  if (!isReady()) throw new ProtocolError(503, 'The engine is starting up; retry when /health answers 200.', 'ServiceUnavailableError');
  if (method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelList(options));
  if (method === 'GET' && path === '/load') {
    const gauges = options.generation.engine.gauges;
    return sendJson(res, 200, {server_load: gauges.running() + gauges.waiting()});
  }
  if (method === 'POST' && path === '/tokenize') return sendJson(res, 200, tokenizeResponse(options, await readJson(req)));
  if (method === 'POST' && (path === '/v1/completions' || path === '/v1/chat/completions')) {
    const kind = path === '/v1/completions' ? 'completion' : 'chat';
    const request = parseGenerationRequest(kind, await readJson(req), options.vocabSize);
    checkModel(options, request.model);
    handleGeneration(options.generation, request, req, res);
    return;
  }
  throw new ProtocolError(404, `No route for ${method} ${path}.`, 'NotFoundError');
}

function checkModel(options: HttpFrontOptions, model: string | undefined): void {
  if (model !== undefined && model !== options.servedModelName) {
    throw new ProtocolError(404, `The model \`${model}\` does not exist.`, 'NotFoundError', 'model');
  }
}

function modelList(options: HttpFrontOptions): object {
  const created = Math.floor(Date.now() / 1000);
  return {
    object: 'list',
    data: [{
      id: options.servedModelName,
      object: 'model',
      created,
      owned_by: 'vllm',
      root: options.modelId,
      parent: null,
      max_model_len: options.maxModelLen,
    }],
  };
}

function tokenizeResponse(options: HttpFrontOptions, body: unknown): object {
  const request = (typeof body === 'object' && body !== null ? body : {}) as {model?: string; prompt?: unknown; messages?: unknown};
  checkModel(options, request.model);
  let tokens: number[];
  if (typeof request.prompt === 'string') tokens = tokenize(request.prompt, options.vocabSize);
  else if (Array.isArray(request.messages)) tokens = tokenizeChat(request.messages as ChatMessage[], options.vocabSize);
  else throw new ProtocolError(400, 'Send either prompt (a string) or messages (a chat).', 'BadRequestError', 'prompt');
  return {count: tokens.length, max_model_len: options.maxModelLen, tokens};
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ProtocolError(413, 'Request body too large.', 'BadRequestError');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ProtocolError(400, 'The request body is not valid JSON.', 'BadRequestError');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: unknown): void {
  const protocolError = error instanceof ProtocolError ? error : new ProtocolError(500, `Internal error: ${(error as Error).message}`, 'InternalServerError');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, protocolError.status, protocolError.body());
}
