// What one engine of each role can carry, as the throughput loop asks it: requests per second at the traffic's ISL
// and OSL within the SLA. From profile fits (src/sizing/capacity.ts) for `planner step --profile`; replay and tests
// may pass any other source with the same shape.
import {itlAt, type ItlModel, ttftAt, type TtftModel} from '../fit/index.js';
import {decodeCapacity, prefillRequestsPerSecond} from '../sizing/capacity.js';

export interface DecodeCapacityQuery {
  isl: number;
  osl: number;
  itlTargetMs: number;
  /** From the tick's capabilities when known; otherwise the source's own figure or a fallback. */
  maxNumSeqs?: number;
  maxKvTokens?: number;
}

export interface EngineRate {
  requestsPerSecond: number;
  /** The latency at that rate (TTFT for prefill, ITL for decode), ms. */
  latencyMs: number;
}

/** Per-engine capacity by role; a role left out is "not ready" and the throughput loop says model_not_ready. */
export interface EngineCapacities {
  /**
   * One prefill engine prefilling `isl`-token prompts (already discounted for prefix-cache hits) back to back.
   * `demandRps` is the rate the whole pool is sized for: a source that models the pool as one shared queue (ours,
   * M/G/c) carries more per engine in a larger pool and needs it; Dynamo's sources ignore it.
   */
  prefill?: (isl: number, demandRps?: number) => EngineRate;
  /** One decode engine at the largest batch that meets the ITL target (the batch of one if none does). */
  decode?: (query: DecodeCapacityQuery) => EngineRate;
  /** Where the figures come from, for diagnostics (e.g. profile paths). */
  source?: {prefill?: string; decode?: string};
  /** The fitted models behind the figures, when they come from profiles: the queue model sizes with them. */
  models?: {ttft?: TtftModel; itl?: ItlModel};
}

/** Dynamo sweeps batch sizes up to 256 when an engine states no limit. */
const FALLBACK_MAX_NUM_SEQS = 256;

export interface FittedEngine {
  ttft?: TtftModel;
  itl?: ItlModel;
  /** The profiled engine's limits, used when the tick does not state them. */
  maxNumSeqs?: number | null;
  kvCapacityTokens?: number | null;
}

/** Capacities read off fitted TTFT and ITL models. */
export function capacitiesFromFits(prefill: FittedEngine | undefined, decode: FittedEngine | undefined): Omit<EngineCapacities, 'source'> {
  const ttft = prefill?.ttft;
  const itl = decode?.itl;
  return {
    models: {...(ttft ? {ttft} : {}), ...(itl ? {itl} : {})},
    ...(ttft ? {prefill: (isl: number) => ({requestsPerSecond: prefillRequestsPerSecond(ttft, isl), latencyMs: ttftAt(ttft, isl)})} : {}),
    ...(itl
      ? {
          decode: (query: DecodeCapacityQuery) => {
            const maxNumSeqs = query.maxNumSeqs ?? decode?.maxNumSeqs ?? FALLBACK_MAX_NUM_SEQS;
            // No stated KV cache: let max_num_seqs bound the batch alone.
            const kvCapacityTokens = query.maxKvTokens ?? decode?.kvCapacityTokens ?? maxNumSeqs * (query.isl + query.osl);
            const capacity = decodeCapacity(itl, {itlTargetMs: query.itlTargetMs, isl: query.isl, osl: query.osl, maxNumSeqs, kvCapacityTokens});
            if (capacity.batch > 0) return {requestsPerSecond: capacity.requestsPerSecond, latencyMs: capacity.itlMs};
            // Even one sequence misses the target: Dynamo scales on the batch-of-one rate rather than not at all.
            const single = itlAt(itl, 1, capacity.context);
            return {requestsPerSecond: 1000 / (query.osl * single), latencyMs: single};
          },
        }
      : {}),
  };
}
