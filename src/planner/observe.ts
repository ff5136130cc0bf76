// What a tick says about the fleet: replica counts (from worker_counts, else the engines seen), GPUs per engine, and
// the per-engine step samples that train the load loop's regressions.
import type {PlannerConfig} from './config.js';
import {addSample, addToAverage, type FitOutcome, fitRegression, type RegressionLimits} from './regression.js';
import type {PlannerState} from './state.js';
import type {DecodeEngineObservation, PrefillEngineObservation, TickInput, WorkerRole} from './tick.js';

export interface RoleCounts {
  /** Ready replicas, or null when neither worker_counts nor engine observations say. */
  ready: number | null;
  expected: number | null;
}

export function engineList(tick: TickInput, role: 'prefill'): PrefillEngineObservation[];
export function engineList(tick: TickInput, role: 'decode'): DecodeEngineObservation[];
export function engineList(tick: TickInput, role: WorkerRole): (PrefillEngineObservation | DecodeEngineObservation)[] {
  return tick.engines?.[role] ?? [];
}

/** Ready and expected replicas of a role; missing counts fall back to the workers seen, and say so in `notes`. */
export function roleCounts(tick: TickInput, role: WorkerRole, notes: string[]): RoleCounts {
  const counts = tick.worker_counts;
  const ready = role === 'prefill' ? counts?.ready_num_prefill : counts?.ready_num_decode;
  const expected = role === 'prefill' ? counts?.expected_num_prefill : counts?.expected_num_decode;
  if (ready !== undefined) return {ready, expected: expected ?? ready};
  const engines = engineList(tick, role as 'prefill');
  if (engines.length === 0) {
    notes.push(`${role}: no ready count and no engines observed; its replica count is unknown`);
    return {ready: null, expected: expected ?? null};
  }
  const workers = new Set(engines.map((engine) => engine.worker_id)).size;
  notes.push(`${role}: no ready count; taking the ${workers} workers observed`);
  return {ready: workers, expected: expected ?? workers};
}

/** GPUs per engine of a role: the config's, else the tick's capabilities, else 1. */
export function gpusPerEngine(config: PlannerConfig, tick: TickInput, role: WorkerRole): number {
  const configured = role === 'prefill' ? config.prefill_engine_num_gpu : config.decode_engine_num_gpu;
  return configured ?? tick.capabilities?.[role]?.num_gpu ?? 1;
}

/**
 * Dynamo's guard: the engines reporting must be the ready workers, each with the same number of data-parallel ranks;
 * otherwise the per-engine picture is partial or stale.
 */
export function workersMatch(engines: readonly {worker_id: string}[], ready: number): boolean {
  const ranks = new Map<string, number>();
  for (const engine of engines) ranks.set(engine.worker_id, (ranks.get(engine.worker_id) ?? 0) + 1);
  return ranks.size === ready && new Set(ranks.values()).size <= 1;
}

/** Feeds this tick's engine steps to the regressions and running averages (in place). */
export function trainOnEngines(config: PlannerConfig, state: PlannerState, tick: TickInput): void {
  const limits: RegressionLimits = {maxSamples: config.max_num_fpm_samples, bucketCount: config.fpm_sample_bucket_size};
  const window = config.max_num_fpm_samples;
  for (const engine of engineList(tick, 'prefill')) {
    const tokens = engine.scheduled_prefill_tokens;
    if (tokens !== undefined && engine.num_prefill_requests !== undefined && engine.num_prefill_requests > 0) addToAverage(state.averages.prefill_isl, tokens / engine.num_prefill_requests, window);
    if (tokens !== undefined && engine.wall_time_s !== undefined) addSample(state.regression.prefill, [tokens], engine.wall_time_s, limits);
  }
  for (const engine of engineList(tick, 'decode')) {
    const requests = engine.num_decode_requests;
    const kv = engine.scheduled_decode_kv_tokens;
    if (requests === undefined || kv === undefined) continue;
    if (requests > 0) addToAverage(state.averages.decode_length, kv / requests, window);
    addToAverage(state.averages.decode_requests, requests, window);
    if (engine.wall_time_s !== undefined) addSample(state.regression.decode, [requests, kv], engine.wall_time_s, limits);
  }
}

export type RoleFits = Partial<Record<WorkerRole, FitOutcome>>;

/** Both step-time regressions fitted once per tick (decode's request-count coefficient may be clipped to 0). */
export function fitRegressions(config: PlannerConfig, state: PlannerState): RoleFits {
  return {
    prefill: fitRegression(state.regression.prefill, config.load_min_observations),
    decode: fitRegression(state.regression.decode, config.load_min_observations, [0]),
  };
}
