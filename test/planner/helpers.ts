import type {EngineCapacities} from '../../src/planner/capacity.js';
import {parsePlannerConfig, type PlannerConfig} from '../../src/planner/config.js';
import {decide, type PlannerDecision} from '../../src/planner/decide.js';
import {createPlannerState, type PlannerState} from '../../src/planner/state.js';
import type {TickInput} from '../../src/planner/tick.js';

export function config(fields: Record<string, unknown>): PlannerConfig {
  return parsePlannerConfig(fields, 'test config');
}

/** Decides `ticks` in order from a fresh state; returns every decision. */
export function run(plannerConfig: PlannerConfig, ticks: TickInput[], capacities?: EngineCapacities, start?: PlannerState): PlannerDecision[] {
  let state = start ?? createPlannerState(plannerConfig);
  return ticks.map((tick) => {
    const decision = decide(plannerConfig, state, tick, capacities);
    state = decision.state;
    return decision;
  });
}

/** One decision on a fresh state (which runs every enabled loop at once). */
export function once(plannerConfig: PlannerConfig, tick: TickInput, capacities?: EngineCapacities): PlannerDecision {
  return run(plannerConfig, [tick], capacities)[0]!;
}

/** Dynamo G1's interpolated throughputs as capacities: tokens/s per GPU, times GPUs per engine. */
export function perGpuThroughput(prefillTokensPerGpu: number, decodeTokensPerGpu: number, gpus = {prefill: 1, decode: 1}): EngineCapacities {
  return {
    prefill: (isl) => ({requestsPerSecond: (prefillTokensPerGpu * gpus.prefill) / isl, latencyMs: 0}),
    decode: (query) => ({requestsPerSecond: (decodeTokensPerGpu * gpus.decode) / query.osl, latencyMs: 0}),
  };
}

export const prefillEngines = (queued: number[]) => queued.map((tokens, index) => ({worker_id: `p${index}`, queued_prefill_tokens: tokens}));
export const decodeEngines = (loads: [number, number][]) => loads.map(([scheduled, queued], index) => ({worker_id: `d${index}`, scheduled_decode_kv_tokens: scheduled, queued_decode_kv_tokens: queued}));
