// The latencies of one completed request, read off its record. TTFT and E2E count from the intended send, so time
// a request waited in the client (a saturated loop, a full connection pool) shows up instead of being hidden.
import type {BenchRecord} from './records.js';

/** Seconds. Null where the request produced too few tokens to measure the quantity. */
export interface RequestLatencies {
  /** First content token minus intended send. */
  ttftS: number | null;
  /** First content token minus actual send: what the server and the network took. */
  ttftFromActualSendS: number | null;
  /** End (the last content token) minus intended send. */
  e2eS: number;
  /** Actual minus intended send: time spent waiting in the client. */
  queueS: number;
  /** (end - first token) / (output tokens - 1): mean time per output token after the first. */
  tpotS: number | null;
  /** Gaps between successive content events (chunks, which may carry several tokens). */
  itlGapsS: number[];
  /** Mean of the request's chunk gaps. */
  meanItlS: number | null;
}

export function requestLatencies(record: BenchRecord): RequestLatencies {
  const {intended_send_s: intended, actual_send_s: actual, first_token_s: firstToken, end_s: end, token_times_s: times} = record;
  const itlGapsS: number[] = [];
  for (let i = 1; i < times.length; i++) itlGapsS.push(times[i]! - times[i - 1]!);
  return {
    ttftS: firstToken === null ? null : firstToken - intended,
    ttftFromActualSendS: firstToken === null ? null : firstToken - actual,
    e2eS: end - intended,
    queueS: actual - intended,
    tpotS: firstToken !== null && record.output_tokens > 1 ? (end - firstToken) / (record.output_tokens - 1) : null,
    itlGapsS,
    meanItlS: times.length > 1 ? (times.at(-1)! - times[0]!) / (times.length - 1) : null,
  };
}
