// Queueing maths for sizing: the M/G/1 queue in front of one engine, and percentiles of the time a request spends in
// it. Rates are requests per second, times milliseconds.
import type {Percentile} from './types.js';

/** The fraction a percentile names: p90 -> 0.9. */
export function percentileFraction(percentile: Percentile): number {
  return Number(percentile.slice(1)) / 100;
}

/** Standard normal quantiles of the supported percentiles (used for Poisson and context fluctuations). */
const NORMAL_QUANTILE: Record<Percentile, number> = {p50: 0, p90: 1.2815515655446004, p95: 1.6448536269514722, p99: 2.3263478740408408};

export function normalQuantile(percentile: Percentile): number {
  return NORMAL_QUANTILE[percentile];
}

/** A discrete distribution of service times: values (ms) with weights summing to 1, and its first two moments. */
export interface ServiceTimes {
  values: number[];
  weights: number[];
  mean: number;
  secondMoment: number;
}

/** Service times from values and weights (sorted here by value, so quantiles read straight off). */
export function serviceTimes(unsortedValues: number[], unsortedWeights: number[]): ServiceTimes {
  const order = unsortedValues.map((_, i) => i).sort((a, b) => unsortedValues[a]! - unsortedValues[b]!);
  const values = order.map((i) => unsortedValues[i]!);
  const weights = order.map((i) => unsortedWeights[i]!);
  let mean = 0;
  let secondMoment = 0;
  for (let i = 0; i < values.length; i++) {
    mean += weights[i]! * values[i]!;
    secondMoment += weights[i]! * values[i]! * values[i]!;
  }
  return {values, weights, mean, secondMoment};
}

/** Server utilisation rho = lambda E[S] of one engine at `rateRps`. */
export function utilisation(rateRps: number, service: ServiceTimes): number {
  return (rateRps * service.mean) / 1000;
}

/**
 * Mean wait in queue of an M/G/1 queue (Pollaczek-Khinchine): Wq = lambda E[S^2] / (2 (1 - rho)). Infinite at or
 * beyond saturation. Poisson arrivals are what a large population of independent users gives; each engine behind a
 * random (or round-robin) router sees its own share of them.
 */
export function meanWaitMs(rateRps: number, service: ServiceTimes): number {
  const rho = utilisation(rateRps, service);
  if (rho >= 1) return Infinity;
  return ((rateRps / 1000) * service.secondMoment) / (2 * (1 - rho));
}

/**
 * P(W > t) for the M/G/1 waiting time, approximated as: no wait with probability 1 - rho (exact, PASTA), otherwise
 * an exponential wait whose mean keeps the Pollaczek-Khinchine mean, Wq / rho. This is exact for M/M/1 and is the
 * exponential tail of Kingman's heavy-traffic limit for general service; for deterministic service (M/D/1) it is
 * slightly pessimistic in the body and close in the tail, which is where SLA percentiles live.
 */
export function waitTailProbability(tMs: number, rateRps: number, service: ServiceTimes): number {
  const rho = utilisation(rateRps, service);
  if (rho <= 0 || tMs < 0) return tMs < 0 ? 1 : 0;
  if (rho >= 1) return 1;
  const meanIfWaiting = meanWaitMs(rateRps, service) / rho;
  return rho * Math.exp(-tMs / meanIfWaiting);
}

/** The `q` quantile of the waiting time alone (ms): 0 when at least a share q of requests never wait. */
export function waitQuantileMs(q: number, rateRps: number, service: ServiceTimes): number {
  const rho = utilisation(rateRps, service);
  if (rho >= 1) return Infinity;
  if (rho <= 1 - q) return 0;
  return (meanWaitMs(rateRps, service) / rho) * Math.log(rho / (1 - q));
}

/**
 * The `q` quantile of the sojourn time W + S (wait, then the request's own service), with W independent of the
 * request's own S (true under FIFO). Its CDF is sum_i w_i P(W <= t - s_i); the quantile is found by bisection between
 * the quantile of S alone (W >= 0) and max S plus the quantile of W.
 */
export function sojournQuantileMs(q: number, rateRps: number, service: ServiceTimes): number {
  const wait = waitQuantileMs(q, rateRps, service);
  if (!Number.isFinite(wait)) return Infinity;
  if (service.values.length === 1) return service.values[0]! + wait;
  const cdf = (t: number) => {
    let sum = 0;
    for (let i = 0; i < service.values.length; i++) sum += service.weights[i]! * (1 - waitTailProbability(t - service.values[i]!, rateRps, service));
    return sum;
  };
  let low = weightedQuantile(q, service);
  let high = service.values.at(-1)! + wait;
  while (high - low > 1e-4 * Math.max(1, high)) {
    const mid = (low + high) / 2;
    if (cdf(mid) >= q) high = mid;
    else low = mid;
  }
  return high;
}

/** The smallest service time whose cumulative weight reaches q. */
export function weightedQuantile(q: number, service: ServiceTimes): number {
  let cumulative = 0;
  for (let i = 0; i < service.values.length; i++) {
    cumulative += service.weights[i]!;
    if (cumulative >= q - 1e-12) return service.values[i]!;
  }
  return service.values.at(-1)!;
}

/** The largest x in [0, upper] for which `ok(x)` holds, assuming ok holds below some threshold and fails above. */
export function largestSatisfying(upper: number, ok: (x: number) => boolean, relativeTolerance = 1e-4): number {
  if (ok(upper)) return upper;
  let low = 0;
  let high = upper;
  while (high - low > relativeTolerance * Math.max(high, 1e-9)) {
    const mid = (low + high) / 2;
    if (ok(mid)) low = mid;
    else high = mid;
  }
  return low;
}
