// The workload as sizing uses it: mean lengths, a compact ISL distribution for prefill queueing, and the spread of
// decode contexts for ITL. Prepared once per sizing, so each candidate only evaluates its models.
import {normalQuantile, percentileFraction} from './queueing.js';
import type {LengthSample, Percentile, WorkloadSpec} from './types.js';

/** At most this many ISL points stand for a trace's distribution (each is an equal-weight quantile of it). */
const MAX_ISL_POINTS = 64;

export interface PreparedWorkload {
  isl: number;
  osl: number;
  /** Prompt lengths with weights summing to 1: one point (the mean) without a sample. */
  islValues: number[];
  islWeights: number[];
  /**
   * Context held by a decoding sequence at a random generated token: token-weighted, so long outputs count for the
   * steps they occupy. Mean and variance.
   */
  contextMean: number;
  contextVariance: number;
  samples: number;
  /** The SLA percentile as a fraction, and the matching standard normal quantile. */
  q: number;
  z: number;
}

export function prepareWorkload(workload: WorkloadSpec, percentile: Percentile): PreparedWorkload {
  const samples = workload.samples ?? [];
  const base = {isl: workload.isl, osl: workload.osl, samples: samples.length, q: percentileFraction(percentile), z: normalQuantile(percentile)};
  if (samples.length === 0) {
    // A sequence generating token j holds isl + j tokens: uniform over the output, mean isl + osl/2, variance osl^2/12.
    return {...base, islValues: [workload.isl], islWeights: [1], contextMean: workload.isl + workload.osl / 2, contextVariance: (workload.osl * workload.osl) / 12};
  }
  return {...base, ...sampleSummary(samples)};
}

type SampleSummary = ReturnType<typeof islPoints> & ReturnType<typeof contextMoments>;
/**
 * Summaries of a sample (sorting a trace of tens of thousands of requests costs milliseconds), remembered per sample
 * array: interactive re-sizing (tune) passes the same trace's array on every keystroke. The arrays are not mutated.
 */
const summaries = new WeakMap<LengthSample[], SampleSummary>();

function sampleSummary(samples: LengthSample[]): SampleSummary {
  let summary = summaries.get(samples);
  if (!summary) {
    summary = {...islPoints(samples), ...contextMoments(samples)};
    summaries.set(samples, summary);
  }
  return summary;
}

function islPoints(samples: LengthSample[]): {islValues: number[]; islWeights: number[]} {
  const sorted = samples.map((sample) => sample.isl).sort((a, b) => a - b);
  const count = Math.min(sorted.length, MAX_ISL_POINTS);
  const islValues: number[] = [];
  for (let i = 0; i < count; i++) islValues.push(sorted[Math.min(sorted.length - 1, Math.floor(((i + 0.5) / count) * sorted.length))]!);
  return {islValues, islWeights: islValues.map(() => 1 / count)};
}

function contextMoments(samples: LengthSample[]): {contextMean: number; contextVariance: number} {
  let tokens = 0;
  let first = 0;
  let second = 0;
  for (const {isl, osl} of samples) {
    const mean = isl + osl / 2;
    tokens += osl;
    first += osl * mean;
    second += osl * (mean * mean + (osl * osl) / 12);
  }
  const contextMean = first / tokens;
  return {contextMean, contextVariance: Math.max(0, second / tokens - contextMean * contextMean)};
}
