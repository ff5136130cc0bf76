// Which points to measure: a coarse grid first, then points where the fit is least certain. Plain data in and out.
import type {DecodeBatch} from '../fit/index.js';
import type {PointSpec} from './points.js';

export interface EngineLimits {
  maxModelLen: number;
  kvCapacityTokens: number;
  maxNumSeqs: number;
  /** Output tokens of a decode point (context = prompt + osl/2). */
  decodeOsl: number;
  /** Most concurrent streams a decode point may use (client and time limits). */
  concurrencyCap: number;
}

const SMALLEST_ISL = 128;
// Dynamo's profiler sweeps prefill up to max_model_len - 512: long prompts are where attention's quadratic cost shows.
const PREFILL_HEADROOM = 512;
const SMALLEST_CONTEXT = 256;
const LARGEST_CONTEXT = 8192;

function geometric(from: number, to: number, count: number): number[] {
  if (count <= 1 || to <= from) return [Math.round(from)];
  const ratio = (to / from) ** (1 / (count - 1));
  return [...new Set(Array.from({length: count}, (_, i) => Math.round(from * ratio ** i)))];
}

export function prefillRange(limits: EngineLimits): [number, number] {
  const largest = Math.min(limits.maxModelLen - PREFILL_HEADROOM, limits.kvCapacityTokens - PREFILL_HEADROOM);
  return [SMALLEST_ISL, Math.max(SMALLEST_ISL * 2, largest)];
}

export function contextRange(limits: EngineLimits): [number, number] {
  const largest = Math.min(LARGEST_CONTEXT, Math.floor(limits.maxModelLen / 2), Math.floor(limits.kvCapacityTokens / 4));
  return [SMALLEST_CONTEXT, Math.max(SMALLEST_CONTEXT * 2, largest)];
}

/** The most sequences that decode together at `context` without running out of KV cache (10% headroom). */
export function maxConcurrency(limits: EngineLimits, context: number): number {
  const byKv = Math.floor((0.9 * limits.kvCapacityTokens) / (context + limits.decodeOsl / 2));
  return Math.max(1, Math.min(limits.maxNumSeqs, limits.concurrencyCap, byKv));
}

/** The coarse start: 5 ISLs (short prompts are cheap and pin the fixed cost), and 3 contexts x (1, middle, most) concurrency. */
export function coarsePlan(limits: EngineLimits): PointSpec[] {
  const [islFrom, islTo] = prefillRange(limits);
  const [ctxFrom, ctxTo] = contextRange(limits);
  const prefill = geometric(islFrom, islTo, 5).map((isl): PointSpec => ({kind: 'prefill', isl}));
  const decode = geometric(ctxFrom, ctxTo, 3).flatMap((context) => {
    const most = maxConcurrency(limits, context);
    return [...new Set([1, Math.max(1, Math.round(Math.sqrt(most))), most])].map((concurrency): PointSpec => ({kind: 'decode', concurrency, context}));
  });
  return [...prefill, ...decode];
}

/** Where a refinement may add points: a dense ISL ladder, and a context x concurrency lattice inside the limits. */
export function prefillCandidates(limits: EngineLimits): number[] {
  const [from, to] = prefillRange(limits);
  return geometric(from, to, 24);
}

export function decodeCandidates(limits: EngineLimits): DecodeBatch[] {
  const [from, to] = contextRange(limits);
  return geometric(from, to, 6).flatMap((ctx) => geometric(1, maxConcurrency(limits, ctx), 8).map((n) => ({n, ctx})));
}
