// An aggregated engine: prefill and decode share each step under vLLM's chunked-prefill token budget. Each step runs
// every decoding sequence (one token each) and fills the rest of max_num_batched_tokens with prompt chunks.
//
// The model, kept deliberately simple:
// - A prompt costs the engine D(isl) = TTFT(isl) - ITL(1, isl) of extra step time: its lone TTFT less the one decode
//   step that would have run anyway. Prompts arrive at lambda, so a share u = lambda E[D] of wall time goes to prompt
//   tokens and decode steps come (1 - u) times as often: mean ITL = d(n) / (1 - u), d the pure decode step time.
// - A prompt is split into k = ceil(isl / (budget - n)) chunks, each riding one step. A share f = lambda E[k] / steps
//   per second of steps carries a chunk, taking E[D] / E[k] longer. Tokens are n per step either way, so the ITL
//   percentile is the decode step's when f <= 1 - q, and a chunk-carrying step's otherwise.
// - TTFT: prompts wait FIFO for the prefill slot (M/G/1, as a prefill engine) and take k steps of d(n) plus D(isl).
import {itlAt, ttftAt, type ItlModel, type TtftModel} from '../fit/index.js';
import {itlAtPercentile} from './decode.js';
import {largestSatisfying, meanWaitMs, serviceTimes, sojournQuantileMs, weightedQuantile} from './queueing.js';
import {batchAtPercentile, littleBatch, type OperatingPoint, type RoleModel, structuralBatchLimit} from './role-model.js';
import type {Binding} from './types.js';
import type {PreparedWorkload} from './workload.js';

/** vLLM's default max_num_batched_tokens on >= 70 GiB GPUs, used when a profile does not record its engine's. */
export const DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192;

export interface AggregatedEngineLimits {
  maxNumSeqs: number | null;
  kvCapacityTokens: number | null;
  maxNumBatchedTokens: number | null;
}

interface AggregatedPoint extends OperatingPoint {
  /** The first constraint this load breaks, or null when it meets them all. */
  breaks: Binding | null;
}

export function aggregatedRoleModel(ttft: TtftModel, itl: ItlModel, workload: PreparedWorkload, limits: AggregatedEngineLimits, targets: {ttftMs: number; itlMs: number}): RoleModel {
  const structural = structuralBatchLimit(limits.maxNumSeqs, limits.kvCapacityTokens, workload.isl, workload.osl);
  const budget = limits.maxNumBatchedTokens ?? ttft.maxNumBatchedTokens ?? DEFAULT_MAX_NUM_BATCHED_TOKENS;
  const promptCost = workload.islValues.map((isl) => Math.max(0, ttftAt(ttft, isl) - itlAt(itl, 1, isl)));
  const meanPromptCost = promptCost.reduce((sum, cost, i) => sum + cost * workload.islWeights[i]!, 0);
  const step = (batch: number) => itlAt(itl, batch, workload.contextMean);

  function at(rate: number): AggregatedPoint {
    const broken = {ttftMs: Infinity, itlMs: Infinity, meanTtftMs: Infinity, meanItlMs: Infinity, batch: Infinity};
    const promptShare = (rate * meanPromptCost) / 1000;
    if (promptShare >= 1) return {...broken, breaks: 'prefill-share'};
    const batch = littleBatch(rate, (b) => (workload.osl * step(b + 1)) / (1 - promptShare) / 1000, structural.limit);
    const tokenBatch = batchAtPercentile(batch, workload.z);
    if (!Number.isFinite(batch) || tokenBatch > structural.limit) return {...broken, breaks: structural.boundBy};
    const chunkTokens = budget - (batch + 1);
    if (chunkTokens < 1) return {...broken, breaks: 'prefill-share'};
    const chunks = workload.islValues.map((isl) => Math.ceil(isl / chunkTokens));
    const meanChunks = chunks.reduce((sum, k, i) => sum + k * workload.islWeights[i]!, 0);
    const decodeStep = step(batch + 1);
    const meanItlMs = decodeStep / (1 - promptShare);
    const chunkShare = Math.min(1, (rate * meanChunks * meanItlMs) / 1000);
    const decodeItl = itlAtPercentile(itl, workload, tokenBatch);
    const itlMs = chunkShare <= 1 - workload.q ? decodeItl : decodeItl + meanPromptCost / meanChunks;
    const service = serviceTimes(workload.islValues.map((_, i) => chunks[i]! * decodeStep + promptCost[i]!), workload.islWeights);
    const ttftMs = sojournQuantileMs(workload.q, rate, service);
    const meanTtftMs = meanWaitMs(rate, service) + service.mean;
    const breaks: Binding | null = !Number.isFinite(ttftMs) ? 'prefill-share' : ttftMs > targets.ttftMs ? 'ttft' : itlMs > targets.itlMs ? 'itl' : null;
    return {ttftMs, itlMs, meanTtftMs, meanItlMs, batch, breaks};
  }

  const idle = at(0);
  const bestTtftMs = weightedQuantile(workload.q, serviceTimes(workload.islValues.map((isl, i) => step(1) * Math.ceil(isl / (budget - 1)) + promptCost[i]!), workload.islWeights));
  const bestItlMs = itlAtPercentile(itl, workload, 1);
  const feasible = idle.breaks === null;
  const ceiling = meanPromptCost > 0 ? (1000 / meanPromptCost) * (1 - 1e-9) : 1e6;
  const capacityRps = feasible ? largestSatisfying(ceiling, (rate) => at(rate).breaks === null) : 0;
  const binding = feasible ? (at(capacityRps * (1 + 1e-3) + 1e-9).breaks ?? 'prefill-share') : (idle.breaks ?? 'ttft');
  return {
    capacity: {feasible, capacityRps, batchAtCapacity: feasible ? at(capacityRps).batch : 0, binding, bestTtftMs, bestItlMs},
    at: (rate) => {
      const {breaks: _breaks, ...point} = at(rate);
      return point;
    },
  };
}
