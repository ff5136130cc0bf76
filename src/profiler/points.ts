// What the profiler measures: the plan's point specs, their keys in raw.jsonl, and the measured results.
import type {ErrorKind} from '../engine/types.js';

/** One point of a sweep plan. */
export type PointSpec = {kind: 'prefill'; isl: number} | {kind: 'decode'; concurrency: number; context: number};

/** Why a point has no (or only part of its) measurement. */
export interface PointError {
  /** A request's error kind, or `no_steady_window` when the streams never all decoded at once. */
  kind: ErrorKind | 'no_steady_window';
  message: string;
}

export interface MeasuredPrefillPoint {
  kind: 'prefill';
  isl: number;
  osl: number;
  /** TTFT of each sample that succeeded, from sending the request to its first output token. */
  ttftMs: number[];
  medianMs: number | null;
  error: PointError | null;
}

/** `context` is each sequence's mean KV length over the measurement, prompt + osl/2, as Dynamo defines it. */
export interface MeasuredDecodePoint {
  kind: 'decode';
  concurrency: number;
  context: number;
  osl: number;
  promptTokens: number;
  /** Mean, median and 90th percentile of the token gaps inside the steady window (steady-window.ts). */
  itlMs: number | null;
  itlP50Ms: number | null;
  itlP90Ms: number | null;
  /** Output tokens (chunks) of all streams that arrived in the window, per second of the window. */
  tokensPerSecond: number | null;
  gaps: number;
  windowS: number;
  error: PointError | null;
}

export type MeasuredPoint = MeasuredPrefillPoint | MeasuredDecodePoint;

/** A point's identity within one engine config: `prefill:isl=4096`, `decode:n=64,ctx=2048`. */
export function pointKey(spec: PointSpec): string {
  return spec.kind === 'prefill' ? `prefill:isl=${spec.isl}` : `decode:n=${spec.concurrency},ctx=${spec.context}`;
}

/** Milliseconds kept to the microsecond: the clocks resolve no finer, and the lines stay short. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
