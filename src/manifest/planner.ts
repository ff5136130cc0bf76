import {badInput} from '../errors/errors.js';
import type {ManifestInput, PlannerSettings} from './types.js';

/**
 * Dynamo's PlannerConfig for this deployment: the user's settings, the deployment's mode and backend, the GPUs per
 * engine of each worker type (as Dynamo's profiler adds them) and, when the profile ConfigMap is mounted, where.
 * The same object is the DGDR's features.planner and the Planner component's --config.
 */
export function plannerConfig(input: ManifestInput, profileResultsDir?: string): Record<string, unknown> {
  const settings = input.planner;
  if (!settings) throw new Error('plannerConfig called without planner settings');
  checkSettings(settings, input);
  const gpusOf = (role: 'prefill' | 'decode' | 'agg') => input.workers.find((worker) => worker.role === role)?.gpusPerEngine;
  return {
    mode: settings.mode ?? input.mode,
    backend: input.backend,
    optimization_target: settings.optimization_target,
    ...(settings.enable_throughput_scaling === undefined ? {} : {enable_throughput_scaling: settings.enable_throughput_scaling}),
    ...(settings.enable_load_scaling === undefined ? {} : {enable_load_scaling: settings.enable_load_scaling}),
    ...(settings.pre_deployment_sweeping_mode === undefined ? {} : {pre_deployment_sweeping_mode: settings.pre_deployment_sweeping_mode}),
    ttft_ms: settings.ttft_ms,
    itl_ms: settings.itl_ms,
    min_endpoint: settings.min_endpoint,
    max_gpu_budget: settings.max_gpu_budget,
    ...(input.mode === 'disagg' ? {prefill_engine_num_gpu: gpusOf('prefill'), decode_engine_num_gpu: gpusOf('decode')} : {decode_engine_num_gpu: gpusOf('agg')}),
    ...(profileResultsDir === undefined ? {} : {profile_results_dir: profileResultsDir}),
  };
}

function checkSettings(settings: PlannerSettings, input: ManifestInput): void {
  const positive = (value: number) => Number.isFinite(value) && value > 0;
  if (!positive(settings.ttft_ms) || !positive(settings.itl_ms)) {
    throw badInput(`Planner targets ttft_ms ${settings.ttft_ms} and itl_ms ${settings.itl_ms} must be positive numbers of milliseconds.`, 'Pass positive --ttft and --itl targets.', 'E_MANIFEST_PLANNER');
  }
  if (!Number.isInteger(settings.min_endpoint) || settings.min_endpoint < 0) {
    throw badInput(`Planner min_endpoint is ${settings.min_endpoint}; it is a whole number of replicas (0 or more).`, 'Pass a whole --min-replicas.', 'E_MANIFEST_PLANNER');
  }
  const deployed = input.workers.reduce((sum, worker) => sum + worker.gpusPerEngine * worker.replicas, 0);
  const budget = settings.max_gpu_budget;
  if (budget !== -1 && (!Number.isInteger(budget) || budget < deployed)) {
    throw badInput(
      `Planner max_gpu_budget is ${budget}, but the sized deployment starts with ${deployed} GPUs.`,
      `Give the planner a whole budget of at least ${deployed} GPUs (or -1 for none), or size for fewer GPUs.`,
      'E_MANIFEST_PLANNER',
    );
  }
}
