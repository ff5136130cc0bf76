// The queue model's engine capacities (queue_model_percentile): the rate a prefill pool carries with the SLA
// percentile of TTFT, queueing included, where Dynamo takes 1 / TTFT(mean ISL), the rate at which the engine is 100%
// busy and the queue grows without bound (ai-dynamo/dynamo#10528). The pool is one shared M/G/c queue over the ISL
// spread of the traffic just observed (src/sizing/prefill.ts, the model `dynamo-plan size` uses): c engines behind the
// least-loaded router wait far less than c separate M/G/1 queues, so sizing each engine as M/G/1 would buy prefill
// engines the pool does not need. Decode, with decode_kv_headroom, is the sizer's decode model too
// (src/sizing/decode.ts): the batch is sized so its SLA percentile, not its mean, fits the KV cache and the ITL
// target, where Dynamo's batch fills the KV cache exactly and prompts then queue for KV room, counting against TTFT.
import type {ItlModel, TtftModel} from '../../fit/index.js';
import {decodeRoleModel} from '../../sizing/decode.js';
import {replicasFor} from '../../sizing/mode-sizing.js';
import {prefillRoleModel} from '../../sizing/prefill.js';
import type {LengthSample, Percentile} from '../../sizing/types.js';
import {prepareWorkload} from '../../sizing/workload.js';
import type {DecodeCapacityQuery, EngineCapacities, EngineRate} from '../capacity.js';

/** What the interval just observed tells the queue model, and its corrections. */
export interface QueueObservation {
  /** The interval's request lengths (empty: the forecast means alone, deterministic service). */
  lengths: readonly LengthSample[];
  /** Size for this multiple of the demand: the short-window bursts over the mean rate (>= 1). */
  burstFactor: number;
  /** G/G/c: the arrivals' dispersion (1: Poisson). */
  arrivalScv: number;
  /** The wait feedback's multiplier of the modelled queue wait (1: the model as it is). */
  waitScale: number;
}

/**
 * Capacities whose prefill pool holds `percentile` TTFT within `ttftMs` for prompts spread like the interval's (scaled
 * to the forecast mean ISL the planner asks about, which also carries its prefix-cache discount). Asked for a pool
 * demand, the prefill capacity is that demand's share per engine of the smallest pool that carries it (times the burst
 * factor), so the throughput loop's ceil(demand / capacity) is that pool. With `decodeItl`, decode is sized for the
 * percentile of its batch.
 */
export function queueModelCapacities(base: EngineCapacities, ttft: TtftModel, ttftMs: number, percentile: Percentile, observed: QueueObservation, decodeItl?: ItlModel): EngineCapacities {
  const {lengths, burstFactor, arrivalScv, waitScale} = observed;
  const meanOf = (pick: (sample: LengthSample) => number) => lengths.reduce((sum, sample) => sum + pick(sample), 0) / lengths.length;
  const recentIsl = lengths.length > 0 ? meanOf((sample) => sample.isl) : 0;
  const variability = {arrivalScv, waitScale};
  return {
    ...base,
    prefill: (isl, demandRps) => {
      const scale = recentIsl > 0 ? isl / recentIsl : 1;
      const samples = recentIsl > 0 ? lengths.map((sample) => ({isl: Math.max(1, sample.isl * scale), osl: sample.osl})) : undefined;
      const model = prefillRoleModel(ttft, prepareWorkload({isl, osl: 1, ...(samples ? {samples} : {})}, percentile), ttftMs, variability);
      // An SLA no queue can meet (the prompts alone exceed it): fall back to the saturation rate, as Dynamo would.
      if (!model.capacity.feasible) return base.prefill?.(isl) ?? {requestsPerSecond: 0, latencyMs: model.capacity.bestTtftMs ?? 0};
      if (demandRps === undefined || !(demandRps > 0) || !model.pool) return {requestsPerSecond: model.capacity.capacityRps, latencyMs: model.at(model.capacity.capacityRps).ttftMs ?? ttftMs};
      const sized = demandRps * burstFactor;
      const {replicas} = replicasFor(sized, model, 1);
      return {requestsPerSecond: demandRps / replicas, latencyMs: model.pool.at(sized / replicas, replicas).ttftMs ?? ttftMs};
    },
    ...(decodeItl ? {decode: (query: DecodeCapacityQuery) => decodeAtPercentile(base, decodeItl, percentile, lengths, query)} : {}),
    source: {
      ...base.source,
      ...(decodeItl ? {decode: `${base.source?.decode ?? 'profile'} (batch at ${percentile} within the KV cache and ITL)`} : {}),
      prefill: `${base.source?.prefill ?? 'profile'} (${arrivalScv > 1 ? `G/G/c pool, arrival scv ${arrivalScv.toFixed(1)}` : 'M/G/c pool'} at ${percentile}${burstFactor > 1 ? `, x${burstFactor.toFixed(2)} for bursts` : ''}${waitScale !== 1 ? `, wait x${waitScale.toFixed(2)} from observed prefill time` : ''})`,
    },
  };
}

/**
 * One decode engine's rate when its batch at `percentile` (Poisson around the Little's-law mean) must fit the KV cache
 * and the ITL target, for outputs and contexts spread like the interval's (scaled to the forecast means asked about).
 */
function decodeAtPercentile(base: EngineCapacities, itl: ItlModel, percentile: Percentile, lengths: readonly LengthSample[], query: DecodeCapacityQuery): EngineRate {
  const meanOf = (pick: (sample: LengthSample) => number) => lengths.reduce((sum, sample) => sum + pick(sample), 0) / lengths.length;
  const islScale = lengths.length > 0 ? query.isl / meanOf((sample) => sample.isl) : 1;
  const oslScale = lengths.length > 0 ? query.osl / meanOf((sample) => sample.osl) : 1;
  const samples = lengths.length > 0 && Number.isFinite(islScale) && Number.isFinite(oslScale)
    ? lengths.map((sample) => ({isl: Math.max(1, sample.isl * islScale), osl: Math.max(1, sample.osl * oslScale)}))
    : undefined;
  const model = decodeRoleModel(itl, prepareWorkload({isl: query.isl, osl: query.osl, ...(samples ? {samples} : {})}, percentile), {maxNumSeqs: query.maxNumSeqs ?? null, kvCapacityTokens: query.maxKvTokens ?? null}, query.itlTargetMs);
  // Not even a batch of one meets the targets: Dynamo's figure (its batch-of-one rate), as it would scale.
  if (!model.capacity.feasible || model.capacity.capacityRps <= 0) return base.decode?.(query) ?? {requestsPerSecond: 0, latencyMs: model.capacity.bestItlMs ?? 0};
  return {requestsPerSecond: model.capacity.capacityRps, latencyMs: model.at(model.capacity.capacityRps).itlMs ?? query.itlTargetMs};
}
