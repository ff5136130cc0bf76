import type {Pool} from 'undici';
import type {EngineClient, GenerationInput, GenerationResult, StreamEvent} from '../types.js';
import type {TransportContext} from './errors.js';
import {createPool, type HttpTargetOptions, requestHeaders, requestTimeouts, resolveTarget, transportContext} from './http-target.js';
import {generationBody, type OpenAiApi} from './request-body.js';
import {StreamRequest} from './stream-request.js';

export interface OpenAiHttpClientOptions extends HttpTargetOptions {
  /** The server root (`http://host:8000`) or its `/v1` URL. */
  baseUrl: string;
  api: OpenAiApi;
  /** The `model` field of every request (the server's served model name). */
  model: string;
}

/** Streams completions or chat requests from an OpenAI-compatible server (vLLM, Dynamo's frontend, the simulator). */
export class OpenAiHttpClient implements EngineClient {
  readonly api: OpenAiApi;
  private readonly model: string;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly headers: Record<string, string>;
  private readonly timeouts: {headersTimeout: number; bodyTimeout: number};
  private readonly context: TransportContext;

  constructor(options: OpenAiHttpClientOptions) {
    const {origin, basePath} = resolveTarget(options.baseUrl);
    this.api = options.api;
    this.model = options.model;
    this.pool = createPool(origin, options);
    this.path = `${basePath}${options.api === 'chat' ? '/v1/chat/completions' : '/v1/completions'}`;
    this.headers = requestHeaders(options, {'content-type': 'application/json'});
    this.timeouts = requestTimeouts(options);
    this.context = transportContext(origin, options);
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
    if (!request.settled) this.pool.dispatch({path: this.path, method: 'POST', headers: this.headers, body, ...this.timeouts}, request);
    return request.result;
  }

  /** Waits for requests in flight to end; abort them first to close at once. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
