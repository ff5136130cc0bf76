// The shapes a load is planned in. Open-loop loads are computed up front as a list of send times, so a slow server
// can never slow the arrivals down (no coordinated omission); closed loops are only described, the runner paces them.
import {badInput} from '../errors/errors.js';

/** Mooncake's hash_ids each name one block of this many prompt tokens. */
export const MOONCAKE_BLOCK_TOKENS = 512;

/** One request of an open-loop plan. */
export interface PlannedRequest {
  /** Position in the schedule, 0-based; records carry it so results can be joined back to the plan. */
  index: number;
  /** When to send it, in seconds from the start of the run. */
  sendAtS: number;
  /** Prompt length in tokens. */
  isl: number;
  /** Output length in tokens (sent as max_tokens, with ignore_eos). */
  osl: number;
  /** Ids of the prompt's MOONCAKE_BLOCK_TOKENS-token blocks (Mooncake traces): requests sharing leading ids share leading text. */
  hashIds?: number[];
}

export type Schedule = PlannedRequest[];

/** How many requests a load sends: a count, a time span, or both (whichever ends first). */
export interface RequestLimit {
  n?: number;
  durationS?: number;
}

/** A closed loop: `concurrency` requests in flight at all times, each new one sent as soon as one completes. */
export interface ConcurrencyLoad {
  kind: 'concurrency';
  concurrency: number;
  n?: number;
  durationS?: number;
}

export function concurrencyLoad(concurrency: number, limit: number | RequestLimit): ConcurrencyLoad {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw badInput(`Concurrency must be a positive integer, got ${concurrency}.`, 'Give the number of requests to keep in flight, e.g. 8.', 'E_BAD_LOAD');
  }
  return {kind: 'concurrency', concurrency, ...checkLimit(limit)};
}

/** Normalise a count or a {n, durationS} limit, rejecting limits that would never end. */
export function checkLimit(limit: number | RequestLimit): RequestLimit {
  const {n, durationS} = typeof limit === 'number' ? {n: limit, durationS: undefined} : limit;
  if (n === undefined && durationS === undefined) {
    throw badInput('A load needs a request count or a duration.', 'Give the number of requests, a duration in seconds, or both.', 'E_BAD_LOAD');
  }
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
    throw badInput(`The request count must be a positive integer, got ${n}.`, 'Give how many requests to send, e.g. 1000.', 'E_BAD_LOAD');
  }
  if (durationS !== undefined && !(durationS > 0 && Number.isFinite(durationS))) {
    throw badInput(`The duration must be a positive number of seconds, got ${durationS}.`, 'Give how long to send requests for, in seconds.', 'E_BAD_LOAD');
  }
  return {...(n === undefined ? {} : {n}), ...(durationS === undefined ? {} : {durationS})};
}
