// Disaggregated prefill engines as a FIFO queue: each request's service time is its lone-request TTFT at its ISL,
// read off the TTFT model, and its TTFT is the wait plus that service. One engine is M/G/1; a pool of c engines behind
// Dynamo's least-loaded router is close to one shared M/G/c queue, which waits much less than c separate queues.
import {ttftAt, type TtftModel} from '../fit/index.js';
import {largestSatisfying, meanWaitMs, serviceTimes, sojournQuantileMs, type ServiceTimes, weightedQuantile} from './queueing.js';
import type {RoleModel} from './role-model.js';
import type {PreparedWorkload} from './workload.js';

/**
 * Service time of each ISL point. The TTFT model was fitted to TTFTs the engine measured, which already include its
 * chunked prefill (ceil(isl / max_num_batched_tokens) steps): the chunked form states the per-chunk cost explicitly,
 * the other forms absorbed it into their coefficients, so no second chunking is applied here. A prefill engine serves
 * one request's chunks after another's (FIFO); batching several short prompts into one step would only do better.
 */
export function prefillServiceTimes(model: TtftModel, workload: PreparedWorkload): ServiceTimes {
  return serviceTimes(workload.islValues.map((isl) => Math.max(ttftAt(model, isl), 1e-3)), workload.islWeights);
}

/**
 * How far the arrivals depart from Poisson, for Allen-Cunneen's G/G/c: `arrivalScv` (1 = Poisson) enters the mean
 * wait's variability factor (ca^2 + cs^2) / 2 beside the service's, and `waitScale` multiplies the whole wait (a
 * correction learned from observed TTFTs). Both default to 1: M/G/c as before.
 */
export interface ArrivalVariability {
  arrivalScv?: number;
  waitScale?: number;
}

/** One prefill engine: the largest request rate whose TTFT at the percentile is within `ttftTargetMs`. */
export function prefillRoleModel(model: TtftModel, workload: PreparedWorkload, ttftTargetMs: number, variability: ArrivalVariability = {}): RoleModel {
  const service = withArrivalVariability(prefillServiceTimes(model, workload), variability);
  const ttftQuantile = (rate: number, servers: number) => sojournQuantileMs(workload.q, rate * servers, service, servers);
  const bestTtftMs = weightedQuantile(workload.q, service);
  const saturation = 1000 / service.mean;
  const feasible = bestTtftMs <= ttftTargetMs;
  const pooled = new Map<number, number>();
  const capacityRps = (servers: number) => {
    if (!feasible) return 0;
    let capacity = pooled.get(servers);
    if (capacity === undefined) {
      capacity = largestSatisfying(saturation * (1 - 1e-9), (rate) => ttftQuantile(rate, servers) <= ttftTargetMs);
      pooled.set(servers, capacity);
    }
    return capacity;
  };
  const at = (rate: number, servers: number) => ({ttftMs: ttftQuantile(rate, servers), itlMs: null, meanTtftMs: meanWaitMs(rate * servers, service, servers) + service.mean, meanItlMs: null, batch: null});
  return {
    // Searched on first read: a caller that only asks for latencies at given rates (the planner's wait feedback) skips it.
    capacity: {
      feasible,
      get capacityRps() {
        return capacityRps(1);
      },
      batchAtCapacity: null,
      binding: 'ttft',
      bestTtftMs,
      bestItlMs: null,
    },
    at: (rate) => at(rate, 1),
    pool: {capacityRps, at, saturationRps: saturation},
  };
}

/**
 * Service times whose second moment carries the arrival variability: the queueing maths reads E[S^2] only through the
 * wait's factor E[S^2] / (2 E[S]^2) = (1 + cs^2) / 2, so setting E[S^2] = k E[S]^2 (ca^2 + cs^2) gives Allen-Cunneen's
 * G/G/c wait times k; each request's own service (values, weights) is unchanged.
 */
function withArrivalVariability(service: ServiceTimes, {arrivalScv = 1, waitScale = 1}: ArrivalVariability): ServiceTimes {
  if (arrivalScv === 1 && waitScale === 1) return service;
  const mean2 = service.mean * service.mean;
  const serviceScv = service.secondMoment / mean2 - 1;
  return {...service, secondMoment: waitScale * mean2 * Math.max(0, arrivalScv + serviceScv)};
}
