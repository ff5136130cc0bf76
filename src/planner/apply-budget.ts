// The GPU budget over whichever roles the mode scales: the pair rule for disagg, the single rule otherwise.
import {clampPairToBudget, clampSingleToBudget} from './budget.js';
import type {PlannerConfig} from './config.js';
import type {WorkerRole} from './tick.js';

export type RoleNumbers = Partial<Record<WorkerRole, number>>;

/** `wanted` clamped to max_gpu_budget; for disagg both roles must be given. */
export function applyBudget(config: PlannerConfig, wanted: RoleNumbers, gpus: Record<WorkerRole, number>): RoleNumbers {
  const budget = config.max_gpu_budget;
  if (wanted.prefill !== undefined && wanted.decode !== undefined) return clampPairToBudget(wanted.prefill, wanted.decode, gpus.prefill, gpus.decode, budget, config.min_endpoint);
  if (wanted.prefill !== undefined) return {prefill: clampSingleToBudget(wanted.prefill, gpus.prefill, budget, config.min_endpoint)};
  if (wanted.decode !== undefined) return {decode: clampSingleToBudget(wanted.decode, gpus.decode, budget, config.min_endpoint)};
  return {};
}
