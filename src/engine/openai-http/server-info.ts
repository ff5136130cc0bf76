import {errors as undiciErrors} from 'undici';
import {interrupted} from '../../errors/errors.js';
import {httpStatusError, targetFailure, transportError} from './errors.js';
import {createPool, type HttpTargetOptions, requestHeaders, requestTimeouts, resolveTarget, transportContext} from './http-target.js';
import {isJsonObject} from './json.js';
import {parseJsonOrUndefined} from '../../util/json.js';

export interface ServerCallOptions extends HttpTargetOptions {
  signal?: AbortSignal;
}

export interface ServedModel {
  id: string;
  /** vLLM reports the context length it serves; other servers may not. */
  maxModelLen?: number;
}

export interface TokenizeMessage {
  role: string;
  content: string;
}

/** The models a server serves (`GET /v1/models`). Throws a DynamoPlanError when the server cannot be used. */
export async function listModels(baseUrl: string, options: ServerCallOptions = {}): Promise<ServedModel[]> {
  const response = await call(baseUrl, 'GET', '/v1/models', undefined, options);
  if (response.status >= 300) throw targetFailure(response.request, httpStatusError(response.status, response.text));
  const data = isJsonObject(response.json) ? response.json.data : undefined;
  if (!Array.isArray(data)) throw targetFailure(response.request, {kind: 'other', message: 'the answer is not an OpenAI model list.'});
  return data.filter(isJsonObject).filter((model) => typeof model.id === 'string').map((model) => {
    const served: ServedModel = {id: model.id as string};
    if (typeof model.max_model_len === 'number') served.maxModelLen = model.max_model_len;
    return served;
  });
}

/**
 * How many tokens the server's tokenizer makes of a prompt or a chat (`POST /tokenize`, a vLLM extension), or
 * undefined when the server has no such route.
 */
export async function tokenize(baseUrl: string, model: string, input: string | TokenizeMessage[], options: ServerCallOptions = {}): Promise<number | undefined> {
  const body = typeof input === 'string' ? {model, prompt: input} : {model, messages: input};
  const response = await call(baseUrl, 'POST', '/tokenize', JSON.stringify(body), options);
  if (response.status === 404 || response.status === 405) return undefined;
  if (response.status >= 300) throw targetFailure(response.request, httpStatusError(response.status, response.text));
  const json = response.json;
  if (!isJsonObject(json)) return undefined;
  if (typeof json.count === 'number') return json.count;
  return Array.isArray(json.tokens) ? json.tokens.length : undefined;
}

interface JsonResponse {
  /** The request, as error messages name it. */
  request: string;
  status: number;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

/** One small request on a pool of its own (these calls are rare), with errors turned into DynamoPlanErrors. */
async function call(baseUrl: string, method: 'GET' | 'POST', path: string, body: string | undefined, options: ServerCallOptions): Promise<JsonResponse> {
  const {origin, basePath} = resolveTarget(baseUrl);
  const request = `${method} ${origin}${basePath}${path}`;
  const pool = createPool(origin, {...options, connections: 1});
  const headers = requestHeaders(options, body === undefined ? {} : {'content-type': 'application/json'});
  try {
    const response = await pool.request({path: `${basePath}${path}`, method, headers, body, signal: options.signal, ...requestTimeouts(options)});
    const text = await response.body.text();
    const json = parseJsonOrUndefined(text);
    return {request, status: response.statusCode, text, json};
  } catch (error) {
    if (options.signal?.aborted || error instanceof undiciErrors.RequestAbortedError) throw interrupted();
    throw targetFailure(request, transportError(error, transportContext(origin, options)));
  } finally {
    await pool.destroy();
  }
}
