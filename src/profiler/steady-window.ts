// Inter-token latency at steady state, from the token arrival times of streams that decoded together.
import type {BenchRecord} from '../loadgen/records.js';
import {percentile} from '../loadgen/stats.js';

export interface SteadyDecode {
  /** The window, seconds from the run start; empty (startS >= endS) when the streams never all decoded at once. */
  startS: number;
  endS: number;
  /** Every token gap lying wholly inside the window, in seconds. */
  gapsS: number[];
  /** Token arrivals (chunks carrying output) of all streams inside the window. */
  tokens: number;
}

export interface ItlStats {
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  tokensPerSecond: number;
}

/**
 * The steady window of one batch of streams is the time all of them were decoding: it opens at the latest first
 * token (before it, some stream is still queued or in prefill, and its prefill shares the steps) and closes at the
 * earliest last token (after it, the batch is shrinking). A gap counts only when both of its tokens arrived inside
 * the window, so every counted gap is a step taken with the whole batch decoding. With every stream sent at once and
 * producing the same number of tokens, the window spans almost all of the decode, over which each sequence's context
 * grows from the prompt to prompt + osl: its mean context is prompt + osl/2.
 */
export function steadyDecode(streams: readonly BenchRecord[]): SteadyDecode {
  const times = streams.map((stream) => stream.token_times_s).filter((t) => t.length > 0);
  const startS = times.length === streams.length ? Math.max(...times.map((t) => t[0]!)) : Infinity;
  const endS = times.length === streams.length ? Math.min(...times.map((t) => t.at(-1)!)) : -Infinity;
  const gapsS: number[] = [];
  let tokens = 0;
  for (const t of times) {
    for (let i = 0; i < t.length; i++) {
      if (t[i]! <= startS || t[i]! > endS) continue;
      tokens++;
      if (t[i - 1]! >= startS) gapsS.push(t[i]! - t[i - 1]!);
    }
  }
  return {startS, endS, gapsS, tokens};
}

/** The window's ITL figures, or undefined when it holds no gap. */
export function itlStats(window: SteadyDecode): ItlStats | undefined {
  if (window.gapsS.length === 0) return undefined;
  const sorted = window.gapsS.toSorted((a, b) => a - b);
  const mean = sorted.reduce((sum, gap) => sum + gap, 0) / sorted.length;
  return {meanMs: mean * 1000, p50Ms: percentile(sorted, 50) * 1000, p90Ms: percentile(sorted, 90) * 1000, tokensPerSecond: window.tokens / (window.endS - window.startS)};
}
