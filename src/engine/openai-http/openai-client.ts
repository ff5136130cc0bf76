import type {EngineClient, GenerationInput, GenerationResult, StreamEvent} from '../types.js';
import type {TransportContext} from './errors.js';
import {Http1Pool} from './http1-pool.js';
import {postHead, postRequest} from './http1-request.js';
import {connectionSettings, type HttpTargetOptions, requestHeaders, resolveTarget} from './http-target.js';
import {generationBody, type OpenAiApi} from './request-body.js';
import {StreamRequest} from './stream-request.js';

export interface OpenAiHttpClientOptions extends HttpTargetOptions {
  /** The server root (`http://host:8000`) or its `/v1` URL. */
  baseUrl: string;
  api: OpenAiApi;
  /** The `model` field of every request (the server's served model name). */
  model: string;
}

/**
 * Streams completions or chat requests from an OpenAI-compatible server (vLLM, Dynamo's frontend, the simulator), on
 * HTTP/1.1 keep-alive connections of its own (`http1-*.ts`) rather than undici's: under hundreds of streams, undici's
 * per-request and per-connection machinery, not parsing, was what held the client back.
 */
export class OpenAiHttpClient implements EngineClient {
  readonly api: OpenAiApi;
  private readonly model: string;
  private readonly pool: Http1Pool;
  /** The request's head up to its Content-Length, the same for every request. */
  private readonly head: string;
  private readonly context: TransportContext;

  constructor(options: OpenAiHttpClientOptions) {
    const target = resolveTarget(options.baseUrl);
    this.api = options.api;
    this.model = options.model;
    const settings = connectionSettings(target, options);
    // 0 means no limit, as it does for undici.
    this.pool = new Http1Pool(settings, options.connections || null);
    const path = `${target.basePath}${options.api === 'chat' ? '/v1/chat/completions' : '/v1/completions'}`;
    this.head = postHead(path, target.host, requestHeaders(options, {'content-type': 'application/json'}));
    this.context = settings.context;
  }

  generate(input: GenerationInput, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<GenerationResult> {
    let body: string;
    try {
      body = generationBody(this.api, this.model, input);
    } catch (error) {
      // e.g. an extraBody JSON cannot encode; the contract is to resolve with an error, never to throw.
      return Promise.resolve({error: {kind: 'other', message: `Cannot encode the request: ${(error as Error).message}`}});
    }
    const request = new StreamRequest(this.api, onEvent, this.context, signal);
    if (!request.settled) request.sent(this.pool.send(postRequest(this.head, body), request));
    return request.result;
  }

  /** Waits for requests in flight to end; abort them first to close at once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
