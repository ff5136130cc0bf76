// What one tick's decision rested on, for the diagnostics report, the live dashboard and dynamo_planner_* gauges:
// observed against predicted traffic, the throughput floor, engine capacity, estimated TTFT/ITL, and per-engine queue
// and KV load. Absent inputs are null, never guessed; `notes` says what was missing or assumed.
import type {PlannerConfig} from './config.js';
import type {LoadLoopResult} from './load-loop.js';
import {engineList, type RoleCounts, type RoleFits} from './observe.js';
import type {FitOutcome, RegressionState} from './regression.js';
import type {PlannerState} from './state.js';
import type {ThroughputLoopResult} from './throughput-loop.js';
import type {TickInput, WorkerRole} from './tick.js';

type PerRole<T> = {prefill: T; decode: T};

export interface PrefillEngineDiagnostics {
  worker_id: string;
  dp_rank: number;
  queued_prefill_tokens: number | null;
  /** The figure the load loop compared (a queue ratio, tokens, or estimated TTFT ms); see load_signal. */
  signal: number | null;
  estimated_ttft_ms: number | null;
}

export interface DecodeEngineDiagnostics {
  worker_id: string;
  dp_rank: number;
  queued_decode_kv_tokens: number | null;
  inflight_decode_kv_tokens: number | null;
  /** (scheduled + queued KV) / max_kv_tokens, when the KV cache size is known. */
  kv_load: number | null;
  signal: number | null;
  estimated_itl_ms: number | null;
}

export interface RegressionDiagnostics {
  samples: number;
  intercept_s: number | null;
  coefficients: number[] | null;
}

export interface TickDiagnostics {
  now_s: number;
  next_tick_s: number | null;
  ran: {load: boolean; throughput: boolean};
  replicas: {ready: PerRole<number | null>; expected: PerRole<number | null>};
  gpus_per_engine: PerRole<number>;
  sla: {ttft_ms: number; itl_ms: number};
  observed: {num_req: number; duration_s: number; request_rate_rps: number; isl: number | null; osl: number | null; kv_hit_rate: number | null} | null;
  predicted: {num_req: number; request_rate_rps: number; isl: number | null; osl: number | null} | null;
  /** What the fleet is sized for: the forecast times the percentile factor, plus start-up lookahead. */
  demand: {request_rate_rps: number; sizing_factor: number; startup_extra_requests: number} | null;
  /** Replicas the throughput loop found necessary (before the budget). */
  throughput_needed: PerRole<number | null> | null;
  /** The floor the load loop moves above (both loops on). */
  throughput_lower_bound: PerRole<number> | null;
  engine_capacity_rps: PerRole<number | null>;
  capacity_source: PerRole<string | null>;
  /** Worst engine's estimate (load loop, sla), else one engine's latency at its sized rate (throughput loop). */
  estimated_ttft_ms: number | null;
  estimated_itl_ms: number | null;
  load_signal: PerRole<string | null>;
  engines: {prefill: PrefillEngineDiagnostics[]; decode: DecodeEngineDiagnostics[]};
  regression: PerRole<RegressionDiagnostics>;
  notes: string[];
}

export interface DiagnosticsInput {
  config: PlannerConfig;
  state: PlannerState;
  tick: TickInput;
  roles: WorkerRole[];
  counts: Record<WorkerRole, RoleCounts>;
  gpus: Record<WorkerRole, number>;
  due: {load: boolean; throughput: boolean};
  load: LoadLoopResult | undefined;
  throughput: ThroughputLoopResult | undefined;
  fits: RoleFits;
  nextTickS: number | null;
  notes: string[];
}

export function buildDiagnostics(input: DiagnosticsInput): TickDiagnostics {
  const {config, state, tick, load, throughput} = input;
  const traffic = tick.traffic;
  const forecast = throughput?.forecast.ok ? throughput.forecast : undefined;
  const sizing = throughput?.sizing?.ready ? throughput.sizing : undefined;
  const prefillSignals = load?.outcomes.prefill?.signals;
  const decodeSignals = load?.outcomes.decode?.signals;
  const sla = config.optimization_target === 'sla';
  const maxKv = tick.capabilities?.decode?.max_kv_tokens;
  const prefillEngines = engineList(tick, 'prefill').map((engine, index): PrefillEngineDiagnostics => {
    const signal = prefillSignals?.[index] ?? null;
    return {worker_id: engine.worker_id, dp_rank: engine.dp_rank ?? 0, queued_prefill_tokens: engine.queued_prefill_tokens ?? null, signal, estimated_ttft_ms: sla ? signal : null};
  });
  const decodeEngines = engineList(tick, 'decode').map((engine, index): DecodeEngineDiagnostics => {
    const signal = decodeSignals?.[index] ?? null;
    const inflight = engine.scheduled_decode_kv_tokens ?? null;
    const kvLoad = inflight !== null && maxKv ? (inflight + (engine.queued_decode_kv_tokens ?? 0)) / maxKv : null;
    return {worker_id: engine.worker_id, dp_rank: engine.dp_rank ?? 0, queued_decode_kv_tokens: engine.queued_decode_kv_tokens ?? null, inflight_decode_kv_tokens: inflight, kv_load: kvLoad, signal, estimated_itl_ms: sla ? signal : null};
  });
  const worst = (values: (number | null)[] | undefined) => {
    const known = (values ?? []).filter((value): value is number => value !== null);
    return known.length > 0 ? Math.max(...known) : null;
  };
  const duration = traffic && traffic.duration_s > 0 ? traffic.duration_s : config.throughput_adjustment_interval;
  return {
    now_s: tick.now_s,
    next_tick_s: input.nextTickS,
    ran: input.due,
    replicas: {ready: {prefill: input.counts.prefill.ready, decode: input.counts.decode.ready}, expected: {prefill: input.counts.prefill.expected, decode: input.counts.decode.expected}},
    gpus_per_engine: input.gpus,
    sla: {ttft_ms: config.ttft, itl_ms: config.itl},
    observed: traffic && Number.isFinite(traffic.num_req)
      ? {num_req: traffic.num_req, duration_s: duration, request_rate_rps: traffic.num_req / duration, isl: traffic.isl ?? null, osl: traffic.osl ?? null, kv_hit_rate: traffic.kv_hit_rate ?? null}
      : null,
    predicted: forecast ? {num_req: forecast.predicted.numReq, request_rate_rps: forecast.predicted.numReq / forecast.durationS, isl: forecast.predicted.isl, osl: forecast.predicted.osl} : null,
    demand: forecast ? {request_rate_rps: forecast.demandRps, sizing_factor: forecast.sizingFactor, startup_extra_requests: forecast.startupExtra} : null,
    throughput_needed: throughput?.needed ? {prefill: throughput.needed.prefill ?? null, decode: throughput.needed.decode ?? null} : null,
    throughput_lower_bound: config.enable_load_scaling && config.enable_throughput_scaling ? {...state.throughput_lower_bound} : null,
    engine_capacity_rps: {prefill: sizing?.engineRps.prefill ?? null, decode: sizing?.engineRps.decode ?? null},
    capacity_source: {prefill: throughput?.capacitySource.prefill ?? null, decode: throughput?.capacitySource.decode ?? null},
    estimated_ttft_ms: (sla ? worst(prefillSignals) : null) ?? sizing?.estimatedTtftMs ?? null,
    estimated_itl_ms: (sla ? worst(decodeSignals) : null) ?? sizing?.estimatedItlMs ?? null,
    load_signal: {prefill: load?.outcomes.prefill?.signal ?? null, decode: load?.outcomes.decode?.signal ?? null},
    engines: {prefill: prefillEngines, decode: decodeEngines},
    regression: {prefill: regressionDiagnostics(state.regression.prefill, input.fits.prefill), decode: regressionDiagnostics(state.regression.decode, input.fits.decode)},
    notes: input.notes,
  };
}

function regressionDiagnostics(regression: RegressionState, outcome: FitOutcome | undefined): RegressionDiagnostics {
  const fit = outcome?.fit;
  return {samples: regression.samples.length, intercept_s: fit?.intercept ?? null, coefficients: fit?.coefficients ?? null};
}
