// Replicas read off the profile for a rate: static-peak's fixed deployment (the trace's busiest throughput interval)
// and the deployment each autoscaling policy starts from: what its own throughput sizing gives the trace's first
// interval, as if the replay window were cut from traffic the deployment was already serving.
import {badInput} from '../errors/errors.js';
import type {EngineCapacities, PlannerConfig} from '../planner/index.js';
import {sizeForThroughput} from '../planner/throughput-scaling.js';
import type {TickInput, WorkerCapability} from '../planner/tick.js';
import {arrivalCounts, arrivalWindowS} from '../planner/queue-model/arrivals.js';
import {throughputCapacities} from '../planner/queue-model/sizing.js';
import {createQueueModelState} from '../planner/queue-model/state.js';
import type {FleetRequest} from '../sim/fleet/index.js';
import {loadCandidates, sizeDeployment} from '../sizing/index.js';
import type {PolicyBase} from './policies.js';

export interface TraceWindowLoad {
  startS: number;
  requestsPerSecond: number;
  isl: number;
  osl: number;
}

/** Request rate and mean lengths per window of `intervalS` from the first arrival (the last window may be partial). */
export function windowLoads(requests: readonly FleetRequest[], intervalS: number): TraceWindowLoad[] {
  const windows: {count: number; isl: number; osl: number}[] = [];
  for (const request of requests) {
    const index = Math.floor(request.atS / intervalS);
    while (windows.length <= index) windows.push({count: 0, isl: 0, osl: 0});
    const window = windows[index]!;
    window.count++;
    window.isl += request.isl;
    window.osl += request.osl;
  }
  return windows.map((window, index) => ({
    startS: index * intervalS,
    requestsPerSecond: window.count / intervalS,
    isl: window.count > 0 ? window.isl / window.count : 0,
    osl: window.count > 0 ? window.osl / window.count : 0,
  }));
}

/**
 * Replicas per role that carry `rps` at the given lengths within the SLA (at least min_endpoint each), sized as the
 * planner's throughput loop would: with the queue model when the configuration has it, given the window's requests.
 */
export function replicasFor(config: PlannerConfig, capacities: EngineCapacities, capabilities: {prefill?: WorkerCapability; decode?: WorkerCapability}, load: {rps: number; isl: number; osl: number}, window?: {requests: readonly FleetRequest[]; durationS: number}): {prefill: number; decode: number} {
  const sized = window ? throughputCapacities(config, createQueueModelState(), openingTick(window, config), capacities, []) ?? capacities : capacities;
  const sizing = sizeForThroughput(config, {requestsPerSecond: load.rps, isl: load.isl, osl: load.osl, kvHitRate: 0}, sized, capabilities);
  if (!sizing.ready) throw badInput(`The profiles have no ${sizing.missing.join(' or ')} fit to size the deployment with.`, 'Fit the profile (dynamo-plan fit DIR) or pass one with both fits.', 'E_NO_FIT');
  return {prefill: sizing.replicas.prefill ?? 0, decode: sizing.replicas.decode ?? 0};
}

/**
 * static-peak's deployment: our sizer (src/sizing, queueing at p99, the trace's length spread) for the peak window's
 * rate, the way one would provision a fixed deployment to hold the SLA through the busiest interval.
 */
export function staticPeakReplicas(profileDirs: readonly string[], base: PolicyBase, peak: {rps: number; isl: number; osl: number}, requests: readonly FleetRequest[]): {prefill: number; decode: number} {
  const sized = sizeDeployment({
    candidates: loadCandidates([...profileDirs]),
    sla: {ttftMs: base.sla.ttft_ms, itlMs: base.sla.itl_ms, percentile: 'p99'},
    workload: {isl: peak.isl, osl: peak.osl, requestRate: peak.rps, samples: requests.map(({isl, osl}) => ({isl, osl}))},
    limits: {minReplicas: base.min_endpoint},
    mode: base.mode === 'agg' ? 'agg' : 'disagg',
    method: 'dynamo-plan',
  });
  const count = (role: string) => sized.roles.filter((sizedRole) => sizedRole.role === role).reduce((sum, sizedRole) => sum + sizedRole.replicas, 0);
  return base.mode === 'agg' ? {prefill: 0, decode: count('agg')} : {prefill: count('prefill'), decode: count('decode')};
}

/** The trace's busiest window by request rate, with the whole trace's mean lengths (what a static sizing is given). */
export function peakLoad(requests: readonly FleetRequest[], intervalS: number): {rps: number; isl: number; osl: number} {
  const rps = Math.max(...windowLoads(requests, intervalS).map((window) => window.requestsPerSecond));
  const mean = (pick: (request: FleetRequest) => number) => requests.reduce((sum, request) => sum + pick(request), 0) / requests.length;
  return {rps, isl: mean((request) => request.isl), osl: mean((request) => request.osl)};
}

/** The first window's load, and its requests. */
export function openingLoad(requests: readonly FleetRequest[], intervalS: number): {rps: number; isl: number; osl: number; window: {requests: FleetRequest[]; durationS: number}} {
  const first = windowLoads(requests, intervalS)[0]!;
  return {rps: first.requestsPerSecond, isl: first.isl, osl: first.osl, window: {requests: requests.filter((request) => request.atS < intervalS), durationS: intervalS}};
}

/** The opening window as the planner's throughput tick would see it (the queue model reads lengths and arrivals). */
function openingTick(window: {requests: readonly FleetRequest[]; durationS: number}, config: PlannerConfig): TickInput {
  const windowS = arrivalWindowS(config);
  return {
    now_s: window.durationS,
    traffic: {
      duration_s: window.durationS,
      num_req: window.requests.length,
      lengths: window.requests.map(({isl, osl}) => ({isl, osl})),
      arrivals: {window_s: windowS, counts: arrivalCounts(window.requests.map((request) => request.atS), 0, window.durationS, windowS)},
    },
  };
}
