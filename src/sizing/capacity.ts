// What one engine can carry, read off its fitted models: the figures both pre-deployment sizing and the runtime
// planner scale by. Mean-latency capacities only; queueing at a percentile is sizing's concern on top of these.
import {itlAt, maxBatchForItl, ttftAt, type ItlModel, type TtftModel} from '../fit/index.js';

/** Requests per second one prefill engine completes when it prefills `isl`-token prompts back to back. */
export function prefillRequestsPerSecond(model: TtftModel, isl: number): number {
  return 1000 / ttftAt(model, isl);
}

export interface DecodeLimits {
  itlTargetMs: number;
  isl: number;
  osl: number;
  /** The engine's max_num_seqs. */
  maxNumSeqs: number;
  /** KV cache capacity in tokens; each sequence is counted at its peak, isl + osl, so the batch never preempts. */
  kvCapacityTokens: number;
}

export interface DecodeCapacity {
  /** The largest batch that meets the ITL target within the limits; 0 when one sequence already misses it. */
  batch: number;
  /** What bounds the batch: the ITL target, the KV cache or max_num_seqs. */
  boundBy: 'itl' | 'kv-cache' | 'max-num-seqs';
  /** Average context a decoding sequence holds, isl + osl/2: where ITL is read. */
  context: number;
  itlMs: number;
  /** Little's law: batch sequences, each staying osl x ITL. */
  requestsPerSecond: number;
}

export function decodeCapacity(model: ItlModel, limits: DecodeLimits): DecodeCapacity {
  const context = limits.isl + limits.osl / 2;
  const kvBound = Math.floor(limits.kvCapacityTokens / (limits.isl + limits.osl));
  const seqBound = Math.floor(limits.maxNumSeqs);
  const structural = Math.min(kvBound, seqBound);
  const batch = maxBatchForItl(model, limits.itlTargetMs, context, structural);
  const boundBy = batch < structural ? 'itl' : kvBound <= seqBound ? 'kv-cache' : 'max-num-seqs';
  if (batch === 0) return {batch, boundBy, context, itlMs: itlAt(model, 1, context), requestsPerSecond: 0};
  const itlMs = itlAt(model, batch, context);
  return {batch, boundBy, context, itlMs, requestsPerSecond: (batch * 1000) / (limits.osl * itlMs)};
}
