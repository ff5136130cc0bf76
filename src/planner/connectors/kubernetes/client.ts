// A small Kubernetes REST client: bearer token or client certificate over TLS with the cluster's CA, JSON in and
// out, a deadline on every call, and jittered, bounded retries of the answers worth retrying.
import {readFileSync} from 'node:fs';
import {Agent, request} from 'undici';
import {DynamoPlanError, ExitCode, interrupted, unreachable} from '../../../errors/errors.js';
import {describeError} from '../../observe/http-get.js';
import type {KubeAccess} from './access.js';
import {parseJsonOrUndefined} from '../../../util/json.js';

export interface RetryOptions {
  /** Tries in all, the first included (default 5). */
  attempts: number;
  /** Backoff before the n-th retry is uniform in [0, min(maxDelayMs, baseDelayMs * 2^n)] ("full jitter"). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface KubeClientOptions {
  /** Deadline of one HTTP call, ms (default 10 000). */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** For tests: the jitter's random source, in [0, 1). */
  random?: () => number;
}

export interface KubeResponse {
  status: number;
  /** Parsed JSON body; undefined when the body is not JSON. */
  json: unknown;
  text: string;
}

export type PatchType = 'merge' | 'json';

const CONTENT_TYPES: Record<PatchType, string> = {merge: 'application/merge-patch+json', json: 'application/json-patch+json'};

/** Conflicts, throttling and server errors pass; anything else is an answer. */
export function isRetryable(status: number): boolean {
  return status === 409 || status === 429 || status >= 500;
}

export class KubeClient {
  readonly dispatcher: Agent;
  private readonly retry: RetryOptions;

  constructor(readonly access: KubeAccess, private readonly options: KubeClientOptions = {}) {
    this.dispatcher = new Agent({connect: {ca: access.ca, cert: access.cert, key: access.key, rejectUnauthorized: !access.insecureSkipTlsVerify}});
    this.retry = {attempts: 5, baseDelayMs: 200, maxDelayMs: 5000, ...options.retry};
  }

  get(path: string, signal?: AbortSignal): Promise<KubeResponse> {
    return this.call('GET', path, undefined, undefined, signal);
  }

  patch(path: string, body: unknown, type: PatchType, signal?: AbortSignal): Promise<KubeResponse> {
    return this.call('PATCH', path, JSON.stringify(body), CONTENT_TYPES[type], signal);
  }

  /**
   * One request, retried on 409/429/5xx and on transport failures with jittered exponential backoff (honouring
   * Retry-After up to the cap). Returns the last answer, whatever its status; throws only when no answer came.
   */
  async call(method: string, path: string, body: string | undefined, contentType: string | undefined, signal?: AbortSignal): Promise<KubeResponse> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.retry.attempts; attempt++) {
      if (attempt > 0) await this.backoff(attempt, lastError, signal);
      try {
        const response = await this.once(method, path, body, contentType, signal);
        if (!isRetryable(response.status) || attempt === this.retry.attempts - 1) return response;
        lastError = response;
      } catch (error) {
        if (signal?.aborted) throw interrupted();
        lastError = error;
      }
    }
    throw unreachable(`Kubernetes API ${this.access.server} did not answer ${method} ${path}: ${describeError(lastError)}`,
      'Check the API server address and that this host can reach it.', lastError);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async once(method: string, path: string, body: string | undefined, contentType: string | undefined, signal?: AbortSignal): Promise<KubeResponse & {retryAfterS?: number}> {
    const headers: Record<string, string> = {accept: 'application/json'};
    const token = this.access.tokenFile ? readFileSync(this.access.tokenFile, 'utf8').trim() : this.access.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (contentType) headers['content-type'] = contentType;
    const deadline = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const response = await request(`${this.access.server}${path}`, {
      method: method as 'GET', headers, body, dispatcher: this.dispatcher, signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    const text = await response.body.text();
    const json = parseJsonOrUndefined(text);
    const retryAfter = Number(response.headers['retry-after']);
    return {status: response.statusCode, json, text, ...(Number.isFinite(retryAfter) ? {retryAfterS: retryAfter} : {})};
  }

  private async backoff(attempt: number, last: unknown, signal?: AbortSignal): Promise<void> {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    const retryAfterMs = ((last as {retryAfterS?: number} | undefined)?.retryAfterS ?? 0) * 1000;
    const delay = Math.min(this.retry.maxDelayMs, Math.max(retryAfterMs, (this.options.random ?? Math.random)() * ceiling));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(done, delay);
      function done() {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
      function onAbort() {
        clearTimeout(timer);
        reject(interrupted());
      }
      signal?.addEventListener('abort', onAbort, {once: true});
    });
  }
}

/** An answer we cannot use, as a one-line error with what to do about it. */
export function kubeStatusError(method: string, path: string, response: KubeResponse): DynamoPlanError {
  const message = (response.json as {message?: string} | undefined)?.message ?? response.text.slice(0, 200);
  const hint = response.status === 401 ? 'The token or client certificate was refused; refresh the kubeconfig or the service account.'
    : response.status === 403 ? 'Grant the planner\'s service account get/patch on dynamographdeployments and dynamographdeploymentscalingadapters/scale, and list on pods.'
    : response.status === 404 ? 'Check the namespace and the DynamoGraphDeployment name.'
    : 'Retry later; the API server kept refusing.';
  return new DynamoPlanError(`Kubernetes API answered ${response.status} to ${method} ${path}: ${message}`,
    {code: 'E_KUBE_API', exitCode: response.status === 404 || response.status === 403 || response.status === 401 ? ExitCode.badInput : ExitCode.unreachable, hint});
}
