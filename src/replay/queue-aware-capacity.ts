// dynamo-plan's prefill capacity: the rate a prefill pool carries with the SLA percentile of TTFT, queueing included,
// where Dynamo takes 1 / TTFT(mean ISL), the rate at which the engine is 100% busy and the queue grows without bound
// (ai-dynamo/dynamo#10528). The pool is one shared M/G/c queue over the ISL spread of the traffic just observed
// (src/sizing/prefill.ts, the model static-peak is sized with): c engines behind the least-loaded router wait far less
// than c separate M/G/1 queues, so sizing each engine as M/G/1 would buy prefill engines the pool does not need.
// Decode, when given the ITL model, is the sizer's decode model too (src/sizing/decode.ts): the batch is sized so its
// SLA percentile, not its mean, fits the KV cache and the ITL target. Dynamo's decode capacity is the batch that fills
// the KV cache exactly, the rate at which the decode engines' admission queue grows without bound: with Mooncake's
// 12k-token prompts that is 35 sequences per H100, and prompts waiting for KV there count against TTFT.
import type {DecodeCapacityQuery, EngineCapacities, EngineRate} from '../planner/index.js';
import {quantile} from '../planner/forecast.js';
import type {FleetRequest} from '../sim/fleet/index.js';
import {decodeRoleModel} from '../sizing/decode.js';
import {replicasFor} from '../sizing/mode-sizing.js';
import {prefillRoleModel} from '../sizing/prefill.js';
import type {Percentile} from '../sizing/types.js';
import {prepareWorkload} from '../sizing/workload.js';
import type {ItlModel, TtftModel} from '../fit/index.js';
import type {WaitCorrection} from './wait-correction.js';

/** Short-window burst headroom: size the pool for this percentile of the rates per `windowS` seen in the interval. */
export interface BurstHeadroom {
  windowS: number;
  /** 0-100. */
  percentile: number;
}

/** The interval the planner just observed: its arrivals and its bounds (virtual seconds). */
export interface ObservedInterval {
  requests: readonly FleetRequest[];
  startS: number;
  endS: number;
  /** The frontend's mean TTFT over the interval's finished requests (ms), when any finished. */
  ttftMs?: number | null;
  /** Mean time from arrival to the end of the prefill leg over the interval (ms): the prefill pool's share of TTFT. */
  prefillMs?: number | null;
  /** Ready prefill engines over the interval, time-averaged. */
  prefillEngines?: number;
}

/** Our corrections of the M/G/c prefill model, each switchable (see policies.ts). */
export interface QueueModelOptions {
  burst?: BurstHeadroom;
  /**
   * G/G/c: the interval's arrival variability as the index of dispersion of its arrival counts in windows this long
   * (s): traced arrivals come in clumps a Poisson M/G/c does not wait for.
   */
  arrivalWindowS?: number;
  /** Learns a multiplier of the model's queue wait from the prefill legs' observed mean time (updated here, kept by the caller). */
  feedback?: WaitCorrection;
  /** The decode engine's ITL model: size decode for the percentile of its batch (see the file's head). */
  decodeItl?: ItlModel;
}

/**
 * Capacities whose prefill pool holds `percentile` TTFT within `ttftMs` for prompts spread like the interval's
 * (scaled to the forecast mean ISL the planner asks about, which also carries its prefix-cache discount). Asked for a
 * pool demand, the prefill capacity is that demand's share per engine of the smallest pool that carries it (times
 * the burst factor, when given), so the planner's ceil(demand / capacity) is that pool.
 */
export function queueAwareCapacities(base: EngineCapacities, ttft: TtftModel, ttftMs: number, percentile: Percentile, observed: ObservedInterval, options: QueueModelOptions = {}): EngineCapacities {
  const {burst, arrivalWindowS, feedback, decodeItl} = options;
  const recent = observed.requests;
  const recentMean = recent.length > 0 ? recent.reduce((sum, sample) => sum + sample.isl, 0) / recent.length : 0;
  const factor = burst ? burstFactor(observed, burst) : 1;
  const arrivalScv = arrivalWindowS ? arrivalDispersion(observed, arrivalWindowS) : 1;
  if (feedback) feedback.observe(ttft, percentile, ttftMs, observed, arrivalScv);
  const variability = {arrivalScv, waitScale: feedback?.factor ?? 1};
  return {
    ...base,
    prefill: (isl, demandRps) => {
      const scale = recentMean > 0 ? isl / recentMean : 1;
      const samples = recentMean > 0 ? recent.map((sample) => ({isl: Math.max(1, sample.isl * scale), osl: sample.osl})) : undefined;
      const model = prefillRoleModel(ttft, prepareWorkload({isl, osl: 1, ...(samples ? {samples} : {})}, percentile), ttftMs, variability);
      // An SLA no queue can meet (the prompts alone exceed it): fall back to the saturation rate, as Dynamo would.
      const fallback = base.prefill?.(isl);
      if (!model.capacity.feasible || model.capacity.capacityRps <= 0) return fallback ?? {requestsPerSecond: 0, latencyMs: model.capacity.bestTtftMs ?? 0};
      if (demandRps === undefined || !(demandRps > 0) || !model.pool) return {requestsPerSecond: model.capacity.capacityRps, latencyMs: model.at(model.capacity.capacityRps).ttftMs ?? ttftMs};
      const sized = demandRps * factor;
      const {replicas} = replicasFor(sized, model, 1);
      return {requestsPerSecond: demandRps / replicas, latencyMs: model.pool.at(sized / replicas, replicas).ttftMs ?? ttftMs};
    },
    ...(decodeItl ? {decode: (query: DecodeCapacityQuery) => decodeAtPercentile(base, decodeItl, percentile, recent, query)} : {}),
    source: {...base.source, ...(decodeItl ? {decode: `${base.source?.decode ?? 'profile'} (batch at ${percentile} within the KV cache and ITL)`} : {}), prefill: `${base.source?.prefill ?? 'profile'} (${arrivalWindowS ? `G/G/c pool, arrival scv ${arrivalScv.toFixed(1)}` : 'M/G/c pool'} at ${percentile}${burst ? `, x${factor.toFixed(2)} for p${burst.percentile} ${burst.windowS} s bursts` : ''}${feedback ? `, wait x${feedback.factor.toFixed(2)} from observed TTFT` : ''})`},
  };
}

/**
 * One decode engine's rate when its batch at `percentile` (Poisson around the Little's-law mean) must fit the KV cache
 * and the ITL target, for outputs and contexts spread like the interval's (scaled to the forecast means asked about).
 */
function decodeAtPercentile(base: EngineCapacities, itl: ItlModel, percentile: Percentile, recent: readonly FleetRequest[], query: DecodeCapacityQuery): EngineRate {
  const meanOf = (pick: (request: FleetRequest) => number) => recent.reduce((sum, request) => sum + pick(request), 0) / recent.length;
  const islScale = recent.length > 0 ? query.isl / meanOf((request) => request.isl) : 1;
  const oslScale = recent.length > 0 ? query.osl / meanOf((request) => request.osl) : 1;
  const samples = recent.length > 0 && Number.isFinite(islScale) && Number.isFinite(oslScale)
    ? recent.map((request) => ({isl: Math.max(1, request.isl * islScale), osl: Math.max(1, request.osl * oslScale)}))
    : undefined;
  const model = decodeRoleModel(itl, prepareWorkload({isl: query.isl, osl: query.osl, ...(samples ? {samples} : {})}, percentile), {maxNumSeqs: query.maxNumSeqs ?? null, kvCapacityTokens: query.maxKvTokens ?? null}, query.itlTargetMs);
  // Not even a batch of one meets the targets: Dynamo's figure (its batch-of-one rate), as it would scale.
  if (!model.capacity.feasible || model.capacity.capacityRps <= 0) return base.decode?.(query) ?? {requestsPerSecond: 0, latencyMs: model.capacity.bestItlMs ?? 0};
  return {requestsPerSecond: model.capacity.capacityRps, latencyMs: model.at(model.capacity.capacityRps).itlMs ?? query.itlTargetMs};
}

/** How far the interval's busier short windows run above its mean rate: p(percentile) of per-window rates / mean, >= 1. */
export function burstFactor(observed: ObservedInterval, burst: BurstHeadroom): number {
  const windows = Math.max(1, Math.round((observed.endS - observed.startS) / burst.windowS));
  if (observed.requests.length === 0 || windows < 2) return 1;
  const counts = new Array<number>(windows).fill(0);
  for (const request of observed.requests) {
    const index = Math.floor((request.atS - observed.startS) / burst.windowS);
    counts[Math.min(windows - 1, Math.max(0, index))]!++;
  }
  const mean = observed.requests.length / windows;
  return Math.max(1, quantile(counts, burst.percentile / 100) / mean);
}

/**
 * The arrivals' index of dispersion (variance / mean of the counts per `windowS`) over the interval: 1 for Poisson
 * arrivals, more for clumped ones; it stands in for the arrival scv of G/G/c at the time scale the queue works at.
 */
export function arrivalDispersion(observed: ObservedInterval, windowS: number): number {
  const windows = Math.floor((observed.endS - observed.startS) / windowS);
  if (observed.requests.length < 2 || windows < 2) return 1;
  const counts = new Array<number>(windows).fill(0);
  for (const request of observed.requests) {
    const index = Math.floor((request.atS - observed.startS) / windowS);
    if (index >= 0 && index < windows) counts[index]!++;
  }
  const mean = counts.reduce((sum, count) => sum + count, 0) / windows;
  if (mean <= 0) return 1;
  const variance = counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / windows;
  return Math.max(1, variance / mean);
}
