// Throughput-based scaling (Dynamo's core/throughput_scaling.py): replicas = ceil(demand / one engine's rate), where
// demand is the forecast request rate and an engine's rate comes from its profile (or the online regression) at the
// forecast ISL and OSL within the SLA. Only prefill is discounted for prefix-cache hits.
import type {EngineCapacities} from './capacity.js';
import type {PlannerConfig} from './config.js';
import type {WorkerCapability, WorkerRole} from './tick.js';

export interface ThroughputDemand {
  /** Requests per second the fleet must carry. */
  requestsPerSecond: number;
  isl: number;
  osl: number;
  kvHitRate: number;
}

export type ThroughputSizing =
  | {
      ready: true;
      /** Replicas per scaled role (agg workers under decode), at least min_endpoint. */
      replicas: Partial<Record<WorkerRole, number>>;
      engineRps: Partial<Record<WorkerRole, number>>;
      /** The TTFT / ITL one engine shows at that rate (ms). */
      estimatedTtftMs?: number;
      estimatedItlMs?: number;
    }
  | {ready: false; missing: WorkerRole[]};

/** Replicas each scaled role needs for `demand`, or which roles have no capacity model yet. */
export function sizeForThroughput(config: PlannerConfig, demand: ThroughputDemand, capacities: EngineCapacities, capabilities: {prefill?: WorkerCapability; decode?: WorkerCapability}): ThroughputSizing {
  const needsPrefill = config.mode !== 'decode';
  const needsDecode = config.mode !== 'prefill';
  const missing: WorkerRole[] = [];
  if (needsPrefill && !capacities.prefill) missing.push('prefill');
  if (needsDecode && !capacities.decode) missing.push('decode');
  if (missing.length > 0) return {ready: false, missing};

  const prefill = needsPrefill ? capacities.prefill!(demand.isl * (1 - demand.kvHitRate), demand.requestsPerSecond) : undefined;
  const decodeCapability = capabilities.decode;
  const decode = needsDecode
    ? capacities.decode!({isl: demand.isl, osl: demand.osl, itlTargetMs: config.itl, maxNumSeqs: decodeCapability?.max_num_seqs, maxKvTokens: decodeCapability?.max_kv_tokens})
    : undefined;
  const replicasFor = (rps: number) => Math.max(config.min_endpoint, rps > 0 ? Math.ceil(demand.requestsPerSecond / rps) : config.min_endpoint);
  const estimates = {...(prefill ? {estimatedTtftMs: prefill.latencyMs} : {}), ...(decode ? {estimatedItlMs: decode.latencyMs} : {})};
  if (config.mode === 'agg') {
    // An aggregated engine time-shares prefill and decode: its rate is the harmonic combination of the two.
    const rps = 1 / (1 / prefill!.requestsPerSecond + 1 / decode!.requestsPerSecond);
    return {ready: true, replicas: {decode: replicasFor(rps)}, engineRps: {decode: rps}, ...estimates};
  }
  return {
    ready: true,
    replicas: {...(prefill ? {prefill: replicasFor(prefill.requestsPerSecond)} : {}), ...(decode ? {decode: replicasFor(decode.requestsPerSecond)} : {})},
    engineRps: {...(prefill ? {prefill: prefill.requestsPerSecond} : {}), ...(decode ? {decode: decode.requestsPerSecond} : {})},
    ...estimates,
  };
}
