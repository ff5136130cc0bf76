// dynamo-plan's prefill capacity: the rate one prefill engine carries with the SLA percentile of TTFT, queueing
// included (an M/G/1 queue over the ISL spread of the traffic just observed, src/sizing/prefill.ts), where Dynamo
// takes 1 / TTFT(mean ISL), the rate at which the engine is 100% busy and the queue grows without bound
// (ai-dynamo/dynamo#10528). Decode keeps the profile's capacity at the ITL target: a decode batch does not queue.
import type {EngineCapacities} from '../planner/index.js';
import {prefillRoleModel} from '../sizing/prefill.js';
import type {LengthSample, Percentile} from '../sizing/types.js';
import {prepareWorkload} from '../sizing/workload.js';
import type {TtftModel} from '../fit/index.js';

/**
 * Capacities whose prefill rate holds `percentile` TTFT within `ttftMs` for prompts spread like `recent` (scaled to
 * the forecast mean ISL the planner asks about, which also carries its prefix-cache discount).
 */
export function queueAwareCapacities(base: EngineCapacities, ttft: TtftModel, ttftMs: number, percentile: Percentile, recent: readonly LengthSample[]): EngineCapacities {
  const recentMean = recent.length > 0 ? recent.reduce((sum, sample) => sum + sample.isl, 0) / recent.length : 0;
  return {
    ...base,
    prefill: (isl) => {
      const scale = recentMean > 0 ? isl / recentMean : 1;
      const samples = recentMean > 0 ? recent.map((sample) => ({isl: Math.max(1, sample.isl * scale), osl: sample.osl})) : undefined;
      const model = prefillRoleModel(ttft, prepareWorkload({isl, osl: 1, ...(samples ? {samples} : {})}, percentile), ttftMs);
      // An SLA no queue can meet (the prompts alone exceed it): fall back to the saturation rate, as Dynamo would.
      const fallback = base.prefill?.(isl);
      if (!model.capacity.feasible || model.capacity.capacityRps <= 0) return fallback ?? {requestsPerSecond: 0, latencyMs: model.capacity.bestTtftMs ?? 0};
      return {requestsPerSecond: model.capacity.capacityRps, latencyMs: model.at(model.capacity.capacityRps).ttftMs ?? ttftMs};
    },
    source: {...base.source, prefill: `${base.source?.prefill ?? 'profile'} (M/G/1 queue at ${percentile})`},
  };
}
