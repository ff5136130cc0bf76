// `size --validate`: the sized deployment simulated in virtual time, engine by engine, with the simulator's own
// scheduler and cost model, at the load it was sized for. The sizing's queueing maths is a model; this checks it
// against a discrete-event run of the real batching, chunking and KV limits.
import {badInput} from '../errors/errors.js';
import {percentile} from '../loadgen/stats.js';
import {readTrace} from '../loadgen/traces.js';
import {resolveEngineSpec} from '../sim/cost/index.js';
import {type FleetOptions, type FleetRequest, type PoolOptions, poissonRequests, requestsFromSchedule, simulateFleet} from '../sim/fleet/index.js';
import {mix32, seededRandom} from '../util/hash.js';
import {sizeDeployment} from './size.js';
import type {LengthSample, Percentile, SizedRole, SizingInput, SizingResult} from './types.js';

export interface ValidationOptions {
  /** Requests to simulate (Poisson loads); default: 300 s of arrivals, at least 2000 and at most 50 000. */
  requests?: number;
  seed?: number;
  /** Leading share of requests left out of the figures while queues fill from empty; default 0.1. */
  warmupFraction?: number;
}

export interface LatencyCheck {
  target: number;
  /** What sizing predicted at the percentile (the worst role's figure). */
  predicted: number | null;
  /** What the simulation achieved at the percentile. */
  achieved: number | null;
  /** Share of measured requests within the target. */
  attainment: number;
}

export interface SizingValidation {
  /** 'poisson' at the sized rate, or 'trace' when the trace itself was replayed with its own arrival times. */
  load: 'poisson' | 'trace';
  requests: number;
  /** Requests the figures cover (after the warm-up). */
  measured: number;
  simulated_s: number;
  percentile: Percentile;
  ttft_ms: LatencyCheck;
  /** Per request, its mean inter-token latency (the figure a request's SLA is judged on). */
  itl_ms: LatencyCheck;
  /** Share of measured requests within both targets. */
  sla_attainment: number;
  /** Each target holds at the percentile: TTFT and ITL attainment at least the percentile's share. */
  meets_sla: boolean;
}

const PERCENT: Record<Percentile, number> = {p50: 50, p90: 90, p95: 95, p99: 99};

export function validateSizing(input: SizingInput, sizing: SizingResult, options: ValidationOptions = {}): SizingValidation {
  const seed = options.seed ?? 0;
  const fleet = fleetOf(sizing);
  const {requests, load} = loadOf(input, sizing, options.requests, seed);
  const result = simulateFleet({...fleet, seed}, requests);
  const warmup = Math.floor(requests.length * (options.warmupFraction ?? 0.1));
  const measured = result.records.filter((record) => record.index >= warmup);
  const lost = requests.length - warmup - measured.length;
  // Aborted and unfinished requests miss both targets: they count as infinitely late.
  const missing = new Array<number>(lost).fill(Infinity);
  const ttft = [...measured.map((record) => (record.finishReason === 'abort' || record.ttftS === null ? Infinity : record.ttftS * 1000)), ...missing];
  const itl = [...measured.map((record) => (record.finishReason === 'abort' ? Infinity : (record.meanItlS ?? 0) * 1000)), ...missing];
  const {ttft_ms: ttftTarget, itl_ms: itlTarget, percentile: level} = sizing.sla;
  const total = ttft.length;
  const within = (values: number[], target: number) => values.filter((value) => value <= target).length / Math.max(1, total);
  const both = ttft.filter((value, i) => value <= ttftTarget && itl[i]! <= itlTarget).length / Math.max(1, total);
  const check = (values: number[], target: number, predicted: number | null): LatencyCheck => {
    const achieved = values.length === 0 ? NaN : percentile(values.toSorted((a, b) => a - b), PERCENT[level]);
    return {target, predicted, achieved: Number.isFinite(achieved) ? achieved : null, attainment: within(values, target)};
  };
  const ttftCheck = check(ttft, ttftTarget, worst(sizing.roles.map((role) => role.predicted_ttft_ms)));
  const itlCheck = check(itl, itlTarget, worst(sizing.roles.map((role) => role.predicted_itl_ms)));
  const needed = PERCENT[level] / 100;
  return {
    load,
    requests: requests.length,
    measured: total,
    simulated_s: result.endS,
    percentile: level,
    ttft_ms: ttftCheck,
    itl_ms: itlCheck,
    sla_attainment: both,
    meets_sla: ttftCheck.attainment >= needed && itlCheck.attainment >= needed,
  };
}

/** The sized roles as fleet pools: each engine rebuilt from its profile's facts, replicas ready from the start. */
export function fleetOf(sizing: Pick<SizingResult, 'mode' | 'roles'>): FleetOptions {
  const pool = (role: SizedRole): PoolOptions => {
    const {model, accelerator, tp, max_num_seqs: maxNumSeqs, max_num_batched_tokens: maxNumBatchedTokens} = role.engine;
    if (model === null || accelerator === null) {
      throw badInput(`${role.profile} does not say which model and GPU it profiled, so its engines cannot be simulated.`, 'Validate with profiles made by `dynamo-plan profile`, or drop --validate.', 'E_VALIDATE_UNKNOWN_ENGINE');
    }
    return {
      spec: resolveEngineSpec({model, gpu: accelerator, tp, ...(role.engine.max_model_len === null ? {} : {maxModelLen: role.engine.max_model_len})}),
      replicas: role.replicas,
      ...(maxNumSeqs === null ? {} : {maxNumSeqs}),
      ...(maxNumBatchedTokens === null ? {} : {maxNumBatchedTokens}),
      // Sizing does not count on prefix-cache hits; a prefill engine in Dynamo runs without prefix caching.
      enablePrefixCaching: role.role !== 'prefill',
    };
  };
  const byRole = (kind: SizedRole['role']) => sizing.roles.find((role) => role.role === kind);
  const agg = byRole('agg');
  if (sizing.mode === 'agg' && agg) return {pools: {agg: pool(agg)}};
  const prefill = byRole('prefill');
  const decode = byRole('decode');
  if (!prefill || !decode) throw new Error(`a ${sizing.mode} sizing without its roles`);
  return {pools: {prefill: pool(prefill), decode: pool(decode)}};
}

function loadOf(input: SizingInput, sizing: SizingResult, count: number | undefined, seed: number): {requests: FleetRequest[]; load: 'poisson' | 'trace'} {
  const {workload} = input;
  const rate = sizing.workload.request_rate;
  const traceRate = workload.samples && workload.source && workload.source !== 'flags' && workload.concurrency === undefined && workload.requestRate !== undefined;
  if (traceRate && count === undefined && Math.abs(rate - workload.requestRate!) < 1e-9 * rate && sizing.load_served_fraction === 1) {
    const requests = requestsFromSchedule(readTrace(workload.source!));
    const start = requests[0]?.atS ?? 0;
    return {requests: requests.map((request) => ({...request, atS: request.atS - start})), load: 'trace'};
  }
  const n = count ?? Math.min(50_000, Math.max(2000, Math.round(rate * 300)));
  const servedRate = rate * sizing.load_served_fraction;
  const poisson = poissonRequests(servedRate, n, {isl: Math.round(workload.isl), osl: Math.round(workload.osl)}, seed);
  const samples = workload.samples;
  if (!samples || samples.length === 0) return {requests: poisson, load: 'poisson'};
  return {requests: poisson.map((request, index) => ({atS: request.atS, ...sampleAt(samples, seed, index)})), load: 'poisson'};
}

/** Request `index`'s lengths drawn (seeded, with replacement) from the trace's requests. */
function sampleAt(samples: readonly LengthSample[], seed: number, index: number): LengthSample {
  const pick = samples[Math.floor(seededRandom(mix32(seed ^ 0x5a17, index))() * samples.length)]!;
  return {isl: Math.max(1, Math.round(pick.isl)), osl: Math.max(1, Math.round(pick.osl))};
}

function worst(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : Math.max(...known);
}

export type ValidatedSizing = SizingResult & {validation?: SizingValidation};

/** `dynamo-plan size`: the sizing, checked by simulation when asked. */
export function runSize(input: SizingInput, validate: ValidationOptions | false = false): ValidatedSizing {
  const sizing = sizeDeployment(input);
  return validate === false ? sizing : {...sizing, validation: validateSizing(input, sizing, validate)};
}
