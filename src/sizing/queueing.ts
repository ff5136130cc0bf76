// Queueing maths for sizing: the M/G/1 queue in front of one engine, or M/G/c in front of c engines behind a
// least-loaded router, and percentiles of the time a request spends there. Rates are requests per second, times
// milliseconds.
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

/** Per-server utilisation rho = lambda E[S] / c of `servers` engines sharing `rateRps`. */
export function utilisation(rateRps: number, service: ServiceTimes, servers = 1): number {
  return (rateRps * service.mean) / 1000 / servers;
}

/**
 * Probability that an arrival waits, C(c, a) (Erlang C, exact for M/M/c; Allen-Cunneen use it for M/G/c), with
 * a = lambda E[S] offered erlangs over c servers. For one server it is rho (exact for M/G/1, by PASTA). Computed
 * through the Erlang B recursion, which stays stable for large c.
 */
export function waitProbability(rateRps: number, service: ServiceTimes, servers = 1): number {
  const rho = utilisation(rateRps, service, servers);
  if (rho >= 1) return 1;
  if (servers === 1) return rho;
  const offered = rho * servers;
  let blocking = 1;
  for (let k = 1; k <= servers; k++) blocking = (offered * blocking) / (k + offered * blocking);
  return blocking / (1 - rho * (1 - blocking));
}

/**
 * Mean wait in queue (ms) of `servers` engines fed from one FIFO queue: Allen-Cunneen's M/G/c approximation,
 * Wq = C(c, a) / (c mu - lambda) x E[S^2] / (2 E[S]^2). For one server it is exactly Pollaczek-Khinchine,
 * lambda E[S^2] / (2 (1 - rho)). Several engines behind a least-loaded router behave close to one shared queue (the
 * router sends each request to an engine with the least queued work); a random router would see c separate M/G/1
 * queues instead, which is what servers = 1 per engine models. Infinite at or beyond saturation.
 */
export function meanWaitMs(rateRps: number, service: ServiceTimes, servers = 1): number {
  const rho = utilisation(rateRps, service, servers);
  if (rho >= 1) return Infinity;
  const spareRatePerMs = servers / service.mean - rateRps / 1000;
  return (waitProbability(rateRps, service, servers) / spareRatePerMs) * (service.secondMoment / (2 * service.mean * service.mean));
}

/**
 * P(W > t): no wait with probability 1 - C(c, a), otherwise an exponential wait whose mean keeps the mean above,
 * Wq / C. Exact for M/M/c; for general service it is the exponential tail of the heavy-traffic limit (Kingman for
 * one server); for deterministic service it is slightly pessimistic in the body and close in the tail, which is where
 * SLA percentiles live.
 */
export function waitTailProbability(tMs: number, rateRps: number, service: ServiceTimes, servers = 1): number {
  if (tMs < 0) return 1;
  const waits = waitProbability(rateRps, service, servers);
  if (waits <= 0) return 0;
  if (utilisation(rateRps, service, servers) >= 1) return 1;
  return waits * Math.exp(-tMs / (meanWaitMs(rateRps, service, servers) / waits));
}

/** The `q` quantile of the waiting time alone (ms): 0 when at least a share q of requests never wait. */
export function waitQuantileMs(q: number, rateRps: number, service: ServiceTimes, servers = 1): number {
  if (utilisation(rateRps, service, servers) >= 1) return Infinity;
  const waits = waitProbability(rateRps, service, servers);
  if (waits <= 1 - q) return 0;
  return (meanWaitMs(rateRps, service, servers) / waits) * Math.log(waits / (1 - q));
}

/**
 * The `q` quantile of the sojourn time W + S (wait, then the request's own service), with W independent of the
 * request's own S (true under FIFO). Its CDF is sum_i w_i P(W <= t - s_i); the quantile is found by bisection between
 * the quantile of S alone (W >= 0) and max S plus the quantile of W.
 */
export function sojournQuantileMs(q: number, rateRps: number, service: ServiceTimes, servers = 1): number {
  const wait = waitQuantileMs(q, rateRps, service, servers);
  if (!Number.isFinite(wait)) return Infinity;
  if (service.values.length === 1) return service.values[0]! + wait;
  const cdf = sojournCdf(rateRps, service, servers);
  let low = weightedQuantile(q, service);
  let high = service.values.at(-1)! + wait;
  while (high - low > 1e-4 * Math.max(1, high)) {
    const mid = (low + high) / 2;
    if (cdf(mid) >= q) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * P(W + S <= t) as a function of t. With the exponential wait tail, the service values at or below t contribute
 * W_k - C e^{-t/m} sum_{i<k} w_i e^{s_i/m} (W_k their weight, C the wait probability, m the mean wait of those who
 * wait), so prefix sums over the sorted values make each evaluation a binary search and one exp, where summing the
 * tail per value made the bisection's cost grow with the number of values. The sums are kept relative to the largest
 * value so far (exponents <= 0: no overflow).
 */
function sojournCdf(rateRps: number, service: ServiceTimes, servers: number): (tMs: number) => number {
  const {values, weights} = service;
  const waits = waitProbability(rateRps, service, servers);
  const meanGivenWait = waits > 0 ? meanWaitMs(rateRps, service, servers) / waits : 1;
  // weightBelow[k] = sum of w_i for i < k; scaled[k] = sum_{i<k} w_i e^{(s_i - s_{k-1})/m}.
  const weightBelow = new Float64Array(values.length + 1);
  const scaled = new Float64Array(values.length + 1);
  for (let k = 1; k <= values.length; k++) {
    weightBelow[k] = weightBelow[k - 1]! + weights[k - 1]!;
    const decay = k > 1 ? Math.exp((values[k - 2]! - values[k - 1]!) / meanGivenWait) : 0;
    scaled[k] = scaled[k - 1]! * decay + weights[k - 1]!;
  }
  return (tMs) => {
    // k: how many service values are at or below t.
    let low = 0;
    let high = values.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (values[mid]! <= tMs) low = mid + 1;
      else high = mid;
    }
    if (low === 0) return 0;
    if (waits <= 0) return weightBelow[low]!;
    return weightBelow[low]! - waits * Math.exp((values[low - 1]! - tMs) / meanGivenWait) * scaled[low]!;
  };
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
