// A disaggregated decode engine: Poisson arrivals, each sequence decoding osl tokens, so the batch is the M/G/inf
// population, Poisson with mean L (Little's law: L = lambda x osl x ITL). A generated token sees the size-biased batch
// 1 + Poisson(L), whose percentile sets the ITL percentile together with the spread of the contexts in the batch.
import {itlAt, type ItlModel} from '../fit/index.js';
import {largestSatisfying} from './queueing.js';
import {batchAtPercentile, littleBatch, type RoleModel, structuralBatchLimit} from './role-model.js';
import type {Binding} from './types.js';
import type {PreparedWorkload} from './workload.js';

export interface DecodeEngineLimits {
  maxNumSeqs: number | null;
  kvCapacityTokens: number | null;
}

/**
 * ITL at the percentile with `batch` sequences: the batch's total KV is a sum of `batch` token-weighted contexts,
 * so its mean context per sequence is within z sqrt(variance / batch) of the mean (central limit).
 */
export function itlAtPercentile(model: ItlModel, workload: PreparedWorkload, batch: number): number {
  return itlAt(model, batch, workload.contextMean + workload.z * Math.sqrt(workload.contextVariance / batch));
}

/** Seconds a sequence spends decoding when the engine holds `meanBatch` others on average (it sees 1 + that). */
export function decodeSeconds(model: ItlModel, workload: PreparedWorkload, meanBatch: number): number {
  return (workload.osl * itlAt(model, meanBatch + 1, workload.contextMean)) / 1000;
}

/** One decode engine: the largest request rate whose ITL at the percentile is within `itlTargetMs`. */
export function decodeRoleModel(model: ItlModel, workload: PreparedWorkload, limits: DecodeEngineLimits, itlTargetMs: number): RoleModel {
  const structural = structuralBatchLimit(limits.maxNumSeqs, limits.kvCapacityTokens, workload.isl, workload.osl);
  const seconds = (batch: number) => decodeSeconds(model, workload, batch);
  const rateAt = (batch: number) => batch / seconds(batch);
  const fitsStructure = (batch: number) => batchAtPercentile(batch, workload.z) <= structural.limit;
  const meetsItl = (batch: number) => itlAtPercentile(model, workload, batchAtPercentile(batch, workload.z)) <= itlTargetMs;
  const bestItlMs = itlAtPercentile(model, workload, 1);
  const feasible = fitsStructure(0) && meetsItl(0);
  let batch = 0;
  let binding: Binding = 'itl';
  if (feasible) {
    batch = largestSatisfying(searchCeiling(structural.limit, meetsItl), (b) => fitsStructure(b) && meetsItl(b));
    if (!fitsStructure(batch * (1 + 1e-3) + 1e-6)) binding = structural.boundBy;
    const knee = peakOf(rateAt, batch);
    if (knee < batch) [batch, binding] = [knee, 'batch-knee'];
  }
  const capacityRps = feasible ? rateAt(batch) : 0;
  return {
    capacity: {feasible, capacityRps, batchAtCapacity: batch, binding, bestTtftMs: null, bestItlMs},
    at(rate) {
      const mean = littleBatch(rate, seconds, structural.limit);
      return {
        ttftMs: null,
        itlMs: Number.isFinite(mean) ? itlAtPercentile(model, workload, batchAtPercentile(mean, workload.z)) : Infinity,
        meanTtftMs: null,
        meanItlMs: Number.isFinite(mean) ? itlAt(model, mean + 1, workload.contextMean) : Infinity,
        batch: mean,
      };
    },
  };
}

/** A finite upper end for the batch search: the structural limit, or where the ITL target is surely missed. */
function searchCeiling(limit: number, meetsItl: (batch: number) => boolean): number {
  if (Number.isFinite(limit)) return limit;
  let ceiling = 1;
  while (meetsItl(ceiling) && ceiling < 1e7) ceiling *= 2;
  return ceiling;
}

/**
 * Where throughput L / T(L) peaks within [0, upper]: a step's time grows faster than linearly in the batch (the
 * fitted n^2 term), so past some batch more sequences bring fewer tokens per second. Golden-section search on this
 * unimodal function; returns `upper` when throughput still rises there.
 */
export function peakOf(rateAt: (batch: number) => number, upper: number): number {
  if (upper <= 0 || rateAt(upper) >= rateAt(upper * (1 - 1e-6))) return upper;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [low, high] = [0, upper];
  while (high - low > 1e-6 * upper) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (rateAt(a) < rateAt(b)) low = a;
    else high = b;
  }
  return low;
}
