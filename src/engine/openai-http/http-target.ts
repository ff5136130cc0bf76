import {Pool} from 'undici';
import {badInput} from '../../errors/errors.js';
import type {TransportContext} from './errors.js';
import type {ConnectionSettings} from './http1-connection.js';

/** How to reach an OpenAI-compatible server. Times are milliseconds; 0 disables a timeout. */
export interface HttpTargetOptions {
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Accept certificates that do not verify (self-signed test servers, private clusters). */
  insecureTls?: boolean;
  connectTimeoutMs?: number;
  /** Longest wait from sending a request to its response headers (time to first byte). */
  requestTimeoutMs?: number;
  /** Longest silence between two reads of a response; a stream quiet for longer ends as 'stalled'. */
  stallTimeoutMs?: number;
  /**
   * Most connections to the server. Default: no limit, so every concurrent request has its own connection and
   * none waits in the client for a free one (a hidden cap inflates TTFT). Set it to the planned concurrency to cap it.
   */
  connections?: number | null;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
const DEFAULT_STALL_TIMEOUT_MS = 300_000;

/** Where requests go: the origin, and the path prefix in front of `/v1/...` (empty for a server root). */
export interface HttpTarget {
  origin: string;
  basePath: string;
  tls: boolean;
  /** The host to connect to (an IPv6 address without its brackets). */
  hostname: string;
  port: number;
  /** The Host header: host and port as the URL gives them. */
  host: string;
}

/** Accepts the server root or its `/v1` URL, as users copy either. */
export function resolveTarget(baseUrl: string): HttpTarget {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw badInput(`Not a URL: ${baseUrl}.`, 'Give the server root, e.g. http://localhost:8000.', 'E_BAD_URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badInput(`Unsupported URL scheme ${url.protocol} in ${baseUrl}.`, 'Use an http:// or https:// URL.', 'E_BAD_URL');
  }
  const basePath = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  const tls = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {origin: url.origin, basePath, tls, hostname, port: url.port === '' ? (tls ? 443 : 80) : Number(url.port), host: url.host};
}

/** An undici pool for the small non-streaming calls (`server-info.ts`); one request per connection at a time. */
export function createPool(origin: string, options: HttpTargetOptions): Pool {
  return new Pool(origin, {
    connections: options.connections ?? null,
    pipelining: 1,
    connect: {timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, rejectUnauthorized: !options.insecureTls},
  });
}

/** How the streaming client's connections reach the target, and their time limits. */
export function connectionSettings(target: HttpTarget, options: HttpTargetOptions): ConnectionSettings {
  const {headersTimeout, bodyTimeout} = requestTimeouts(options);
  return {
    tls: target.tls,
    hostname: target.hostname,
    port: target.port,
    insecureTls: options.insecureTls ?? false,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: headersTimeout,
    stallTimeoutMs: bodyTimeout,
    context: transportContext(target.origin, options),
  };
}

export function requestHeaders(options: HttpTargetOptions, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {...extra, ...options.headers};
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  return headers;
}

export function requestTimeouts(options: HttpTargetOptions): {headersTimeout: number; bodyTimeout: number} {
  return {
    headersTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    bodyTimeout: options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
  };
}

export function transportContext(origin: string, options: HttpTargetOptions): TransportContext {
  const {headersTimeout, bodyTimeout} = requestTimeouts(options);
  return {origin, requestTimeoutMs: headersTimeout, stallTimeoutMs: bodyTimeout};
}
