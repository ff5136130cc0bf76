// The planner's configuration (schemas/planner-config.schema.json): Dynamo's PlannerConfig field names and defaults
// where they overlap, plus our switchable improvements (all off by default). The schema checks each field; this file
// resolves aliases, applies defaults and Dynamo's cross-field rules, and refuses contradictions with a hint.
import {badInput} from '../errors/errors.js';
import {readValidatedFile, validateWith} from '../schema/validator.js';
import type {PredictorConfig, PredictorKind} from './predictors/types.js';

export const PLANNER_CONFIG_SCHEMA = 'planner-config.schema.json';

export type PlannerMode = 'disagg' | 'agg' | 'prefill' | 'decode';
export type OptimizationTarget = 'throughput' | 'latency' | 'load' | 'sla';

/** The file as written: every field optional (see the schema for each one's meaning). */
export type PlannerConfigInput = Partial<Omit<PlannerConfig, 'profile_results_dir'>> & {
  throughput_adjustment_interval_seconds?: number;
  load_adjustment_interval_seconds?: number;
  ttft_ms?: number;
  itl_ms?: number;
  no_operation?: boolean;
  profile_results_dir?: string | string[];
};

/** A resolved configuration: aliases folded in, defaults applied, rules checked. */
export interface PlannerConfig {
  mode: PlannerMode;
  backend: 'vllm' | 'sglang' | 'trtllm' | 'mocker';
  environment: 'kubernetes' | 'virtual' | 'global-planner' | 'local';
  namespace?: string;
  global_planner_namespace?: string;
  model_name?: string;
  optimization_target: OptimizationTarget;
  enable_throughput_scaling: boolean;
  enable_load_scaling: boolean;
  throughput_adjustment_interval: number;
  load_adjustment_interval: number;
  /** TTFT target, ms. */
  ttft: number;
  /** ITL target, ms. */
  itl: number;
  max_gpu_budget: number;
  min_endpoint: number;
  prefill_engine_num_gpu?: number;
  decode_engine_num_gpu?: number;
  pre_deployment_sweeping_mode: 'none' | 'rapid' | 'thorough';
  profile_results_dir: string[];
  load_predictor: PredictorKind;
  load_predictor_log1p: boolean;
  load_predictor_window?: number;
  load_predictor_arima_window?: number;
  load_predictor_warmup_trace?: string;
  kalman_q_level: number;
  kalman_q_trend: number;
  kalman_r: number;
  kalman_min_points: number;
  max_num_fpm_samples: number;
  fpm_sample_bucket_size: number;
  load_scaling_down_sensitivity: number;
  load_min_observations: number;
  prefill_scale_up_queue_tokens?: number;
  prefill_scale_down_queue_tokens?: number;
  decode_scale_up_kv_rate?: number;
  decode_scale_down_kv_rate?: number;
  metric_pulling_prometheus_endpoint?: string;
  metric_reporting_prometheus_port: number;
  throughput_metrics_source: 'frontend' | 'router';
  advisory: boolean;
  report_interval_hours: number | null;
  report_output_dir: string;
  live_dashboard_port: number;
  // Ours (see the schema): each null/0/1/false default keeps Dynamo's behaviour.
  throughput_sizing_percentile: number | null;
  engine_startup_s: number;
  scale_down_sustained_ticks: number;
  scale_down_cooldown_s: number;
  scale_down_at_zero_traffic: boolean;
  scale_to_zero_idle_s: number | null;
  queue_model_percentile: QueueModelPercentile | null;
  prefill_burst_window_s: number | null;
  prefill_burst_percentile: number;
  prefill_arrival_variability: boolean;
  prefill_wait_feedback: boolean;
  prefill_queue_trigger_share: number | null;
  decode_kv_headroom: boolean;
  decode_kv_trigger_share: number | null;
}

/** TTFT (and decode batch) percentiles the queue model sizes for. */
export type QueueModelPercentile = 50 | 90 | 95 | 99;

const DEFAULTS = {
  mode: 'disagg',
  backend: 'vllm',
  environment: 'kubernetes',
  optimization_target: 'throughput',
  enable_throughput_scaling: true,
  enable_load_scaling: false,
  throughput_adjustment_interval: 180,
  load_adjustment_interval: 5,
  ttft: 500,
  itl: 50,
  max_gpu_budget: 8,
  min_endpoint: 1,
  pre_deployment_sweeping_mode: 'rapid',
  profile_results_dir: [],
  load_predictor: 'arima',
  load_predictor_log1p: false,
  kalman_q_level: 1.0,
  kalman_q_trend: 0.1,
  kalman_r: 10.0,
  kalman_min_points: 5,
  max_num_fpm_samples: 64,
  fpm_sample_bucket_size: 16,
  load_scaling_down_sensitivity: 80,
  load_min_observations: 5,
  metric_reporting_prometheus_port: 0,
  throughput_metrics_source: 'frontend',
  advisory: false,
  report_interval_hours: 24,
  report_output_dir: './planner_reports',
  live_dashboard_port: 0,
  throughput_sizing_percentile: null,
  engine_startup_s: 0,
  scale_down_sustained_ticks: 1,
  scale_down_cooldown_s: 0,
  scale_down_at_zero_traffic: false,
  scale_to_zero_idle_s: null,
  queue_model_percentile: null,
  prefill_burst_window_s: null,
  prefill_burst_percentile: 90,
  prefill_arrival_variability: false,
  prefill_wait_feedback: false,
  prefill_queue_trigger_share: null,
  decode_kv_headroom: false,
  decode_kv_trigger_share: null,
} as const satisfies Partial<PlannerConfig>;

/** Read a YAML or JSON planner configuration file and resolve it. */
export function loadPlannerConfig(path: string): PlannerConfig {
  return resolvePlannerConfig(readValidatedFile<PlannerConfigInput>(path, PLANNER_CONFIG_SCHEMA), path);
}

/** Validate a configuration object against the schema and resolve it; `source` names it in errors. */
export function parsePlannerConfig(data: unknown, source = 'planner config'): PlannerConfig {
  return resolvePlannerConfig(validateWith<PlannerConfigInput>(PLANNER_CONFIG_SCHEMA, data, source), source);
}

/** Fold aliases, apply defaults and Dynamo's rules to a schema-valid input. */
export function resolvePlannerConfig(input: PlannerConfigInput, source = 'planner config'): PlannerConfig {
  const fail = (cause: string, hint: string) => badInput(`${source}: ${cause}`, hint, 'E_PLANNER_CONFIG');
  const {throughput_adjustment_interval_seconds, load_adjustment_interval_seconds, ttft_ms, itl_ms, no_operation, profile_results_dir, ...rest} = input;
  const merged = {
    ...rest,
    throughput_adjustment_interval: alias(rest.throughput_adjustment_interval, throughput_adjustment_interval_seconds, 'throughput_adjustment_interval', fail),
    load_adjustment_interval: alias(rest.load_adjustment_interval, load_adjustment_interval_seconds, 'load_adjustment_interval', fail),
    ttft: alias(rest.ttft, ttft_ms, 'ttft', fail),
    itl: alias(rest.itl, itl_ms, 'itl', fail),
    advisory: alias(rest.advisory, no_operation, 'advisory', fail),
  };
  const config: PlannerConfig = {...DEFAULTS, ...definedOnly(merged), profile_results_dir: profile_results_dir === undefined ? [] : [profile_results_dir].flat()};

  if (config.optimization_target !== 'sla') {
    // Dynamo forces the load loop on and the throughput loop off for the non-sla targets; saying otherwise is a contradiction.
    if (input.enable_throughput_scaling === true) throw fail(`enable_throughput_scaling cannot be true with optimization_target ${config.optimization_target}.`, 'Throughput scaling runs only under optimization_target sla; remove the field or set the target to sla.');
    if (input.enable_load_scaling === false) throw fail(`enable_load_scaling cannot be false with optimization_target ${config.optimization_target}.`, 'Every target but sla scales on load only; remove the field.');
    config.enable_throughput_scaling = false;
    config.enable_load_scaling = true;
  } else {
    if (!config.enable_throughput_scaling && !config.enable_load_scaling) throw fail('both enable_throughput_scaling and enable_load_scaling are false.', 'Turn at least one scaling loop on.');
    if (input.ttft === undefined && input.ttft_ms === undefined) throw fail('optimization_target sla needs a TTFT target.', 'Set ttft (ms), e.g. ttft: 500.');
    if (input.itl === undefined && input.itl_ms === undefined) throw fail('optimization_target sla needs an ITL target.', 'Set itl (ms), e.g. itl: 50.');
    if (config.enable_throughput_scaling && config.pre_deployment_sweeping_mode === 'none') throw fail('pre_deployment_sweeping_mode none leaves throughput scaling without engine capacity.', 'Use rapid or thorough, or set enable_throughput_scaling: false.');
  }
  if (config.enable_throughput_scaling && config.enable_load_scaling && config.load_adjustment_interval >= config.throughput_adjustment_interval) {
    throw fail(`load_adjustment_interval (${config.load_adjustment_interval} s) must be shorter than throughput_adjustment_interval (${config.throughput_adjustment_interval} s).`, 'The load loop is the fast one: e.g. 5 s against 180 s.');
  }
  if (!Number.isInteger(Math.sqrt(config.fpm_sample_bucket_size))) throw fail(`fpm_sample_bucket_size ${config.fpm_sample_bucket_size} is not a perfect square.`, 'Use 1, 4, 9, 16, 25, ...: 2-D models take its square root per axis.');
  if (config.optimization_target === 'load') requireLoadThresholds(config, fail);
  checkQueueModel(config, fail);
  checkBudget(config, fail);
  return config;
}

/** The predictor settings for the request count, ISL and OSL forecasters. */
export function predictorConfig(config: PlannerConfig): PredictorConfig {
  return {
    kind: config.load_predictor,
    log1p: config.load_predictor_log1p,
    window: config.load_predictor_window,
    arimaWindow: config.load_predictor_arima_window,
    kalmanQLevel: config.kalman_q_level,
    kalmanQTrend: config.kalman_q_trend,
    kalmanR: config.kalman_r,
    kalmanMinPoints: config.kalman_min_points,
  };
}

/** Roles the planner scales in this mode; agg workers are scaled as `decode`, as Dynamo does. */
export function scaledRoles(mode: PlannerMode): ('prefill' | 'decode')[] {
  if (mode === 'disagg') return ['prefill', 'decode'];
  return mode === 'prefill' ? ['prefill'] : ['decode'];
}

type Fail = (cause: string, hint: string) => Error;

function alias<T>(value: T | undefined, other: T | undefined, name: string, fail: Fail): T | undefined {
  if (value !== undefined && other !== undefined && value !== other) throw fail(`${name} and its alias disagree (${String(value)} vs ${String(other)}).`, `Keep one of the two fields.`);
  return value ?? other;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function requireLoadThresholds(config: PlannerConfig, fail: Fail): void {
  const roles = config.mode === 'agg' ? ['decode'] : scaledRoles(config.mode);
  if (roles.includes('prefill')) {
    const {prefill_scale_up_queue_tokens: up, prefill_scale_down_queue_tokens: down} = config;
    if (up === undefined || down === undefined) throw fail('optimization_target load needs prefill_scale_up_queue_tokens and prefill_scale_down_queue_tokens.', 'Set both, e.g. 10000 and 2000 queued tokens.');
    if (!(up > 0 && up > down)) throw fail(`prefill_scale_up_queue_tokens (${up}) must be above 0 and above prefill_scale_down_queue_tokens (${down}).`, 'Leave a gap between the thresholds so the loop does not oscillate.');
  }
  if (roles.includes('decode')) {
    const {decode_scale_up_kv_rate: up, decode_scale_down_kv_rate: down} = config;
    if (up === undefined || down === undefined) throw fail('optimization_target load needs decode_scale_up_kv_rate and decode_scale_down_kv_rate.', 'Set both as percentages of the KV cache, e.g. 80 and 40.');
    if (!(up > down)) throw fail(`decode_scale_up_kv_rate (${up}) must be above decode_scale_down_kv_rate (${down}).`, 'Leave a gap between the thresholds so the loop does not oscillate.');
  }
}

/** The queue model's refinements refine its sizing: without a percentile to size for they would do nothing. */
function checkQueueModel(config: PlannerConfig, fail: Fail): void {
  if (config.queue_model_percentile !== null) {
    if (config.optimization_target !== 'sla') throw fail(`queue_model_percentile needs optimization_target sla (got ${config.optimization_target}).`, 'The queue model sizes the throughput loop, which runs under the sla target only.');
    return;
  }
  const needing = (['prefill_burst_window_s', 'prefill_arrival_variability', 'prefill_wait_feedback', 'decode_kv_headroom'] as const).filter((field) => config[field] !== null && config[field] !== false);
  if (needing.length > 0) throw fail(`${needing.join(', ')} ${needing.length > 1 ? 'refine' : 'refines'} the queue model, which is off.`, 'Set queue_model_percentile (e.g. 99) too, or remove the field.');
}

function checkBudget(config: PlannerConfig, fail: Fail): void {
  if (config.max_gpu_budget < 0) return;
  const gpus = scaledRoles(config.mode).reduce((sum, role) => sum + ((role === 'prefill' ? config.prefill_engine_num_gpu : config.decode_engine_num_gpu) ?? 1), 0);
  const floor = config.min_endpoint * gpus;
  if (config.max_gpu_budget < floor) {
    throw fail(`max_gpu_budget ${config.max_gpu_budget} is below the ${floor} GPUs that min_endpoint ${config.min_endpoint} replicas of each role need.`, 'Raise max_gpu_budget, lower min_endpoint, or set max_gpu_budget: -1 to disable the budget.');
  }
}
