// Open-loop send times, in seconds from the start of the run, as `vllm bench serve` plans them: every request is
// preceded by a gap (so the first is sent at the first gap, not at 0), gaps are Gamma(shape = burstiness,
// scale = 1 / (rate * burstiness)), and with a request count the cumulative times are rescaled so the last send
// lands exactly at N / rate, which removes the 1-2% run-to-run spread of the sum of N random gaps.
import {badInput} from '../errors/errors.js';
import {seededRandom} from '../util/hash.js';
import {gammaSampler} from './random-variates.js';
import {checkLimit, type RequestLimit} from './schedule.js';

/** A plan longer than this is a typo (e.g. a rate in requests per hour), not a benchmark. */
const MAX_PLANNED_REQUESTS = 10_000_000;

/** Evenly spaced sends, every 1 / rate seconds; `rate` Infinity sends everything at t = 0. */
export function constantRate(rate: number, limit: number | RequestLimit): number[] {
  return gamma(rate, Infinity, limit, 0);
}

/** A Poisson process: exponential gaps, burstiness 1. */
export function poisson(rate: number, limit: number | RequestLimit, seed: number): number[] {
  return gamma(rate, 1, limit, seed);
}

/**
 * Gamma-distributed gaps. The coefficient of variation of the gaps is 1 / sqrt(burstiness): burstiness 1 is
 * Poisson, below 1 burstier, above 1 smoother, and Infinity evenly spaced.
 * With a count N the times are rescaled to end at N / rate; then a duration, if also given, drops the sends after it.
 * With only a duration, gaps are drawn until the next send would fall after it, and nothing is rescaled (there
 * is no N to aim at): the count is then random, with mean rate * duration.
 */
export function gamma(rate: number, burstiness: number, limit: number | RequestLimit, seed: number): number[] {
  if (!(rate > 0)) {
    throw badInput(`The request rate must be positive, got ${rate}.`, 'Give requests per second, or Infinity to send every request at once.', 'E_BAD_LOAD');
  }
  if (!(burstiness > 0)) {
    throw badInput(`Burstiness must be positive, got ${burstiness}.`, 'Use 1 for Poisson arrivals, below 1 for burstier traffic, above 1 for smoother.', 'E_BAD_LOAD');
  }
  const {n, durationS} = checkLimit(limit);
  if (rate === Infinity) {
    if (n === undefined) {
      throw badInput('An infinite request rate with only a duration would send without end.', 'Give a request count with an infinite rate.', 'E_BAD_LOAD');
    }
    return new Array<number>(n).fill(0);
  }
  const times = burstiness === Infinity ? evenlySpaced(rate) : gammaSpaced(rate, burstiness, seed);
  const endS = durationS ?? Infinity;
  if (n === undefined) {
    if (rate * endS > MAX_PLANNED_REQUESTS) {
      throw badInput(`${rate} requests/s for ${endS} s plans over ${MAX_PLANNED_REQUESTS} requests.`, 'Lower the rate or the duration.', 'E_BAD_LOAD');
    }
    return takeWhile(times, (t) => t <= endS);
  }
  const planned = take(times, n);
  const scale = n / rate / planned[n - 1]!;
  // A zero or infinite factor would only come from degenerate draws; leave the times as drawn then.
  const rescaled = Number.isFinite(scale) ? planned.map((t) => t * scale) : planned;
  return rescaled.filter((t) => t <= endS);
}

/** i / rate for i = 1, 2, ...: computed by multiplication, not accumulation, so constant gaps stay exact. */
function* evenlySpaced(rate: number): Generator<number> {
  for (let i = 1; ; i++) yield i / rate;
}

function* gammaSpaced(rate: number, burstiness: number, seed: number): Generator<number> {
  const gap = gammaSampler(seededRandom(seed), burstiness);
  const scale = 1 / (rate * burstiness);
  let t = 0;
  for (;;) {
    t += gap() * scale;
    yield t;
  }
}

function take(times: Iterator<number>, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) out.push(times.next().value as number);
  return out;
}

function takeWhile(times: Iterator<number>, keep: (t: number) => boolean): number[] {
  const out: number[] = [];
  for (let t = times.next().value as number; keep(t); t = times.next().value as number) out.push(t);
  return out;
}
