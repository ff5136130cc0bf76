// What every role model (prefill, decode, aggregated) answers about one engine: how much it carries within the SLA,
// and its latencies at a given load.
import type {Binding} from './types.js';

export interface RoleCapacity {
  /** Meets the targets at some positive load. */
  feasible: boolean;
  /** The most requests per second one engine carries within the targets (0 when infeasible). */
  capacityRps: number;
  /** Mean decoding sequences at capacity; null for prefill. */
  batchAtCapacity: number | null;
  binding: Binding;
  /** At vanishing load: the best this engine can do, at the SLA percentile. */
  bestTtftMs: number | null;
  bestItlMs: number | null;
}

/** Latencies of one engine at a load; null where the role does not produce the quantity. */
export interface OperatingPoint {
  ttftMs: number | null;
  itlMs: number | null;
  meanTtftMs: number | null;
  meanItlMs: number | null;
  batch: number | null;
}

export interface RoleModel {
  /** One engine on its own. */
  capacity: RoleCapacity;
  at(rateRps: number): OperatingPoint;
  /**
   * Engines of this role pooled behind a least-loaded router, when that carries more than each engine alone (a shared
   * queue waits less): the most requests per second each of `replicas` engines carries, and the latencies at a
   * per-engine rate. Absent: engines add up linearly.
   */
  pool?: {
    capacityRps(replicas: number): number;
    at(rateRps: number, replicas: number): OperatingPoint;
    /** The rate at which one engine is busy all the time: every pool carries less than this per engine. */
    saturationRps: number;
  };
}

/** Requests per second `replicas` engines of the role carry within the targets. */
export function poolCapacityRps(model: RoleModel, replicas: number): number {
  return replicas * (model.pool ? model.pool.capacityRps(replicas) : model.capacity.capacityRps);
}

/**
 * The mean batch of a decoding engine at `rateRps` by Little's law, L = lambda x T(L), where T(L) is how long a
 * sequence decodes when L others share the engine. T rises with L, so iterating from 0 climbs to the smallest fixed
 * point, the stable one; Infinity when it climbs past `cap` (the engine cannot keep up).
 */
export function littleBatch(rateRps: number, secondsPerSequence: (batch: number) => number, cap: number): number {
  let batch = 0;
  for (let i = 0; i < 200; i++) {
    const next = rateRps * secondsPerSequence(batch);
    if (!(next <= cap)) return Infinity;
    if (Math.abs(next - batch) <= 1e-9 * Math.max(1, next)) return next;
    batch = next;
  }
  return batch;
}

/** The batch a generated token sees at the percentile: the size-biased Poisson batch 1 + Poisson(L), normal approx. */
export function batchAtPercentile(meanBatch: number, z: number): number {
  return 1 + meanBatch + z * Math.sqrt(meanBatch);
}

/** vLLM's structural batch limit: max_num_seqs, and the KV cache holding each sequence at its peak isl + osl. */
export function structuralBatchLimit(maxNumSeqs: number | null, kvCapacityTokens: number | null, isl: number, osl: number): {limit: number; boundBy: 'kv-cache' | 'max-num-seqs'} {
  const kv = kvCapacityTokens === null ? Infinity : Math.floor(kvCapacityTokens / (isl + osl));
  const seqs = maxNumSeqs ?? Infinity;
  return kv <= seqs ? {limit: kv, boundBy: 'kv-cache'} : {limit: seqs, boundBy: 'max-num-seqs'};
}
