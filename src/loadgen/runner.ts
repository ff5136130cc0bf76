import type {EngineClient, GenerationInput} from '../engine/types.js';
import type {BenchRecord} from './records.js';
import {RequestRecorder} from './request-recorder.js';

/** One request of a run, planned before the run starts. */
export interface RunRequest {
  index: number;
  /** Seconds after the run starts at which an open-loop run sends it; ignored by a closed loop. */
  sendAtS: number;
  input: GenerationInput;
  /** The prompt's token count as built, for records when the server reports no usage. */
  promptTokens?: number;
}

export type RunProgress =
  | {type: 'warmup'; done: number; total: number}
  | {type: 'progress'; elapsedS: number; sent: number; completed: number; inFlight: number; errors: number; planned: number};

export interface RunOptions {
  client: EngineClient;
  requests: RunRequest[];
  /**
   * undefined: open loop, each request sent at its sendAtS however many are in flight. A number: at most that many in
   * flight; with an open-loop schedule the excess waits in a client queue whose delay is measured, and with
   * `closedLoop` requests go out as slots free up (no schedule, no queue).
   */
  maxConcurrency?: number;
  closedLoop?: boolean;
  /** Stop sending new requests after this many seconds (requests in flight still finish). */
  durationS?: number;
  /** Requests sent (and awaited) before the measured run, not measured. */
  warmup?: GenerationInput[];
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Called as each request completes, so the caller can append it to disk before the run goes on. */
  onRequestDone?: (record: BenchRecord) => void;
}

const PROGRESS_INTERVAL_MS = 500;

/**
 * Drive a run. Open loop is truly open: send times come from the schedule computed up front, never from when earlier
 * requests finish, and a request that cannot go out on time (concurrency cap, busy event loop) records both when it
 * should have gone and when it did. Resolves with what was measured, also when aborted (what completed is kept).
 */
export async function runRequests(options: RunOptions): Promise<BenchRecord[]> {
  const {client, signal} = options;
  for (const [i, input] of (options.warmup ?? []).entries()) {
    if (signal?.aborted) return [];
    await client.generate(input, () => {}, signal);
    options.onProgress?.({type: 'warmup', done: i + 1, total: options.warmup!.length});
  }
  const startNs = process.hrtime.bigint();
  const now = () => Number(process.hrtime.bigint() - startNs) / 1e9;
  const measured: BenchRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  const queue: {request: RunRequest; intendedSendS: number}[] = [];
  let sent = 0;
  let errors = 0;
  const limit = options.maxConcurrency ?? Infinity;
  const deadline = options.durationS ?? Infinity;

  const send = (request: RunRequest, intendedSendS: number): Promise<void> => {
    sent++;
    const recorder = new RequestRecorder({index: request.index, intendedSendS, runStartNs: startNs, sentNs: process.hrtime.bigint(), promptTokens: request.promptTokens});
    const done = client.generate(request.input, recorder.onEvent, signal).then((result) => {
      const record = recorder.finish(result, process.hrtime.bigint());
      if (record.error_kind) errors++;
      measured.push(record);
      options.onRequestDone?.(record);
    });
    const tracked = done.finally(() => {
      inFlight.delete(tracked);
      drainQueue();
    });
    inFlight.add(tracked);
    return tracked;
  };

  const drainQueue = () => {
    while (queue.length > 0 && inFlight.size < limit && !signal?.aborted) {
      const next = queue.shift()!;
      send(next.request, next.intendedSendS);
    }
  };

  const progress = setInterval(() => {
    options.onProgress?.({type: 'progress', elapsedS: now(), sent, completed: measured.length, inFlight: inFlight.size, errors, planned: options.requests.length});
  }, PROGRESS_INTERVAL_MS);

  try {
    if (options.closedLoop) {
      await runClosedLoop(options.requests, limit, deadline, now, signal, (request) => send(request, now()));
    } else {
      for (const request of options.requests) {
        if (request.sendAtS >= deadline) break;
        await sleepUntil(request.sendAtS, now, signal);
        if (signal?.aborted) break;
        queue.push({request, intendedSendS: request.sendAtS});
        drainQueue();
      }
    }
    while (inFlight.size > 0 || (queue.length > 0 && !signal?.aborted)) await Promise.race(inFlight);
  } finally {
    clearInterval(progress);
  }
  options.onProgress?.({type: 'progress', elapsedS: now(), sent, completed: measured.length, inFlight: 0, errors, planned: options.requests.length});
  return measured.sort((a, b) => a.index - b.index);
}

async function runClosedLoop(
  requests: RunRequest[],
  concurrency: number,
  deadline: number,
  now: () => number,
  signal: AbortSignal | undefined,
  send: (request: RunRequest) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length && now() < deadline && !signal?.aborted) await send(requests[next++]!);
  };
  await Promise.all(Array.from({length: Math.min(concurrency, requests.length)}, worker));
}

/**
 * Resolve once `now()` reaches `targetS` (or on abort). setTimeout alone has millisecond granularity and may fire a
 * little early by the monotonic clock, which would send before the schedule says; the last stretch is polled.
 */
function sleepUntil(targetS: number, now: () => number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const check = () => {
      const remainingMs = (targetS - now()) * 1000;
      if (remainingMs <= 0 || signal?.aborted) done();
      else if (remainingMs > 2) timer = setTimeout(check, remainingMs - 1);
      else setImmediate(check);
    };
    signal?.addEventListener('abort', done, {once: true});
    check();
  });
}
