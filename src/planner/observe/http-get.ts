import {type Dispatcher, request} from 'undici';

export interface GetOptions {
  /** Whole-request deadline (connect, headers and body), milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** A dispatcher of the caller's (e.g. one that trusts a cluster CA); undici's global agent otherwise. */
  dispatcher?: Dispatcher;
}

/** A failure with a `status` got an HTTP answer (and its `text`); one without never reached or heard the server. */
export type GetResult = {ok: true; status: number; text: string} | {ok: false; error: string; status?: number; text?: string};

/**
 * GET a URL's body as text within a deadline. Never throws and never outlives the deadline: a planner tick must get
 * an answer or a reason, whatever the other side does (refuses, hangs before its headers, trickles its body).
 */
export async function getText(url: string, options: GetOptions): Promise<GetResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  try {
    const response = await request(url, {method: 'GET', headers: options.headers, signal, dispatcher: options.dispatcher});
    const text = await response.body.text();
    if (response.statusCode >= 300) return {ok: false, error: `GET ${url} answered HTTP ${response.statusCode}: ${text.slice(0, 200).trim()}`, status: response.statusCode, text};
    return {ok: true, status: response.statusCode, text};
  } catch (error) {
    if (options.signal?.aborted) return {ok: false, error: `GET ${url} was cancelled`};
    if (deadline.aborted) return {ok: false, error: `GET ${url} gave no answer within ${options.timeoutMs} ms`};
    return {ok: false, error: `GET ${url} failed: ${describeError(error)}`};
  }
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as {code?: string}).code ?? (error.cause as {code?: string} | undefined)?.code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
