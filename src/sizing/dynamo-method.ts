// Dynamo's classic profiler formulas (benchmarks/profiler/profile_sla.py and the classic planner), on our fitted
// models, for side-by-side comparison. Averages only: TTFT is a lone request's (no queueing), ITL is read at the
// largest batch meeting the target at context isl + osl/2; replicas = ceil(R x ISL / prefill tokens/s/GPU / GPUs per
// engine) and ceil(R x OSL / decode tokens/s/GPU / GPUs per engine), i.e. ceil(R / requests/s per engine).
import {decodeTokensPerSecondPerGpu, itlAt, type ItlModel, prefillTokensPerSecondPerGpu, ttftAt, type TtftModel} from '../fit/index.js';
import {decodeCapacity} from './capacity.js';
import type {RoleModel} from './role-model.js';
import type {WorkloadSpec} from './types.js';

/** A classic prefill engine: feasible when the lone-request TTFT at the mean ISL meets the target. */
export function dynamoPrefillRoleModel(model: TtftModel, workload: WorkloadSpec, ttftTargetMs: number): RoleModel {
  const ttftMs = ttftAt(model, workload.isl);
  const feasible = ttftMs <= ttftTargetMs;
  // thpt_prefill_per_gpu x gpus / ISL = 1000 / TTFT requests per second per engine.
  const capacityRps = feasible ? (prefillTokensPerSecondPerGpu(model, workload.isl, 1) / workload.isl) : 0;
  const point = {ttftMs, itlMs: null, meanTtftMs: ttftMs, meanItlMs: null, batch: null};
  return {capacity: {feasible, capacityRps, batchAtCapacity: null, binding: 'ttft', bestTtftMs: ttftMs, bestItlMs: null}, at: () => point};
}

/** A classic decode engine: the largest batch whose mean ITL meets the target (bounded by KV and max_num_seqs). */
export function dynamoDecodeRoleModel(model: ItlModel, workload: WorkloadSpec, limits: {maxNumSeqs: number | null; kvCapacityTokens: number | null}, itlTargetMs: number): RoleModel {
  const capacity = decodeCapacity(model, {
    itlTargetMs,
    isl: workload.isl,
    osl: workload.osl,
    maxNumSeqs: limits.maxNumSeqs ?? Infinity,
    kvCapacityTokens: limits.kvCapacityTokens ?? Infinity,
  });
  const feasible = capacity.batch > 0;
  const bestItlMs = itlAt(model, 1, capacity.context);
  // thpt_decode_per_gpu x gpus / OSL = batch / (OSL x ITL): the same Little's law as decodeCapacity.
  const capacityRps = feasible ? (decodeTokensPerSecondPerGpu(model, capacity.batch, capacity.context, 1) / workload.osl) : 0;
  return {
    capacity: {feasible, capacityRps, batchAtCapacity: capacity.batch, binding: capacity.boundBy, bestTtftMs: null, bestItlMs},
    at: (rate) => ({ttftMs: null, itlMs: capacity.itlMs, meanTtftMs: null, meanItlMs: capacity.itlMs, batch: capacityRps > 0 ? (capacity.batch * rate) / capacityRps : 0}),
  };
}
