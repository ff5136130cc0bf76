import {type DynamoPlanError, unreachable} from '../../errors/errors.js';
import type {ErrorKind, RequestError} from '../types.js';
import {isJsonObject} from './json.js';

/** What a transport error message names: the target and the limits that may have been hit. */
export interface TransportContext {
  origin: string;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
}

/** Classify an error raised by a socket (ours or undici's) or by undici itself (never an HTTP status). */
export function transportError(error: unknown, context: TransportContext): RequestError {
  const {origin} = context;
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return {kind: 'connection_refused', message: `Connection refused by ${origin}.`};
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {kind: 'connection_refused', message: `No route to ${origin} (${code}).`};
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return {kind: 'dns', message: `Cannot resolve the host of ${origin} (${code}).`};
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return connectTimeoutError(context);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return requestTimeoutError(context);
    case 'UND_ERR_BODY_TIMEOUT':
      return stallTimeoutError(context);
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return disconnectedError(context);
    default:
      return {kind: 'other', message: `Request to ${origin} failed: ${(error as Error)?.message ?? String(error)}`};
  }
}

export function connectTimeoutError(context: TransportContext): RequestError {
  return {kind: 'connect_timeout', message: `Timed out connecting to ${context.origin}.`};
}

/** No response head within the request timeout. */
export function requestTimeoutError(context: TransportContext): RequestError {
  return {kind: 'stalled', message: `No response from ${context.origin} within ${context.requestTimeoutMs} ms.`};
}

/** Nothing arrived on a response for the stall timeout. */
export function stallTimeoutError(context: TransportContext): RequestError {
  return {kind: 'stalled', message: `The stream from ${context.origin} stalled: nothing arrived for ${context.stallTimeoutMs} ms.`};
}

export function disconnectedError(context: TransportContext): RequestError {
  return {kind: 'disconnected', message: `${context.origin} closed the connection before the response ended.`};
}

/** Bytes that are not HTTP/1.1 where a response was expected. */
export function malformedResponseError(context: TransportContext, reason: string): RequestError {
  return {kind: 'malformed_stream', message: `${context.origin} sent a malformed HTTP response: ${reason}.`};
}

/** The system or undici code of an error, looking through AggregateError (one per address tried) and causes. */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const candidate = current as {code?: unknown; errors?: unknown[]; cause?: unknown};
    if (typeof candidate.code === 'string') return candidate.code;
    current = candidate.errors?.[0] ?? candidate.cause;
  }
  return undefined;
}

export function httpStatusKind(status: number): ErrorKind {
  if (status === 429) return 'http_429';
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return 'other';
}

/** An HTTP error response, described with the server's own message when its body has one. */
export function httpStatusError(status: number, body: string): RequestError {
  const detail = bodyMessage(body);
  return {kind: httpStatusKind(status), status, message: detail === undefined ? `HTTP ${status}.` : `HTTP ${status}: ${detail}`};
}

/** An error event sent inside a 200 stream (`data: {"error": ...}`), or undefined for an ordinary chunk. */
export function inBandError(chunk: Record<string, unknown>): RequestError | undefined {
  if (chunk.error == null && chunk.object !== 'error') return undefined;
  const code = isJsonObject(chunk.error) ? chunk.error.code : chunk.code;
  const message = jsonErrorMessage(chunk) ?? 'The server reported an error mid-stream.';
  return typeof code === 'number' ? {kind: 'in_band_error', message, status: code} : {kind: 'in_band_error', message};
}

const MAX_MESSAGE_CHARS = 500;

function bodyMessage(body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.slice(0, MAX_MESSAGE_CHARS);
  }
  return jsonErrorMessage(json) ?? text.slice(0, MAX_MESSAGE_CHARS);
}

/**
 * The message of the error shapes OpenAI-compatible servers send: `{"error": {"message"}}` (OpenAI, vLLM),
 * `{"object": "error", "message"}` (older vLLM), `{"error": "..."}`, and FastAPI's `{"detail": ...}`.
 */
function jsonErrorMessage(json: unknown): string | undefined {
  if (!isJsonObject(json)) return undefined;
  const {error, message, detail} = json;
  if (isJsonObject(error) && typeof error.message === 'string') return error.message;
  if (typeof error === 'string') return error;
  if (typeof message === 'string') return message;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    const messages = detail.map((item) => (isJsonObject(item) && typeof item.msg === 'string' ? item.msg : JSON.stringify(item)));
    return messages.join('; ');
  }
  return undefined;
}

/** Turn a failed call to an endpoint (model list, tokenizer) into the error a user acts on: exit 4, with a hint. */
export function targetFailure(what: string, error: RequestError): DynamoPlanError {
  return unreachable(`${what} failed: ${error.message}`, hintFor(error));
}

function hintFor(error: RequestError): string {
  switch (error.kind) {
    case 'connection_refused':
      return 'Check that the engine is running and that the URL (host and port) is right.';
    case 'dns':
      return 'Check the host name in the URL.';
    case 'connect_timeout':
      return 'Check the address, and that no firewall drops connections to that port.';
    case 'http_429':
      return 'The server is rate-limiting this client; retry later or raise its limit.';
    case 'http_4xx':
      if (error.status === 401 || error.status === 403) return 'Check the API key (it is sent as a Bearer token).';
      return 'Check that the URL is the server root of an OpenAI-compatible server (e.g. http://host:8000) and the model name.';
    case 'http_5xx':
      if (error.status === 503) return 'The engine may still be starting; retry when its /health answers 200.';
      return 'The server failed; check its logs.';
    default:
      return 'Check that the URL points at a running OpenAI-compatible server.';
  }
}
