// Targets throughput, latency and load (Dynamo's "easy mode", core/load_scaling.py): no model, no predictors, just
// each engine's prefill queue and decode KV load against fixed thresholds, one replica at a time.
import type {PlannerConfig} from './config.js';
import {anyUpAllDown, type RoleLoadInput, type RoleLoadOutcome} from './role-load.js';

interface Threshold {
  up: number;
  down: number;
  /** Whether reaching `up` already counts as over (>=) and reaching `down` still counts as under (<=). */
  upInclusive: boolean;
  downInclusive: boolean;
}

/** Dynamo's table: prefill queued_prefill_tokens / context_length, decode (scheduled + queued KV) / max_kv_tokens. */
export const STATIC_THRESHOLDS: Record<'throughput' | 'latency', {prefill: Threshold; decode: Threshold}> = {
  throughput: {prefill: {up: 1.0, down: 0.1, upInclusive: true, downInclusive: false}, decode: {up: 1.0, down: 0.6, upInclusive: false, downInclusive: false}},
  latency: {prefill: {up: 0.1, down: 0, upInclusive: true, downInclusive: true}, decode: {up: 0.4, down: 0.1, upInclusive: false, downInclusive: false}},
};

/** The static-threshold decision for one role (agg engines are the decode role with queued prompts counted as KV). */
export function staticThresholdDecision(config: PlannerConfig, input: RoleLoadInput): RoleLoadOutcome {
  const target = config.optimization_target;
  const userThresholds = target === 'load';
  let threshold: Threshold;
  let signals: (number | null)[];
  let signal: string;
  if (input.role === 'prefill') {
    const contextLength = input.capability?.context_length;
    if (!userThresholds && !(contextLength && contextLength > 0)) return insufficient(input, 'queued_prefill_tokens / context_length (context_length unknown)');
    threshold = userThresholds ? {up: config.prefill_scale_up_queue_tokens!, down: config.prefill_scale_down_queue_tokens!, upInclusive: true, downInclusive: true} : STATIC_THRESHOLDS[target as 'throughput' | 'latency'].prefill;
    signal = userThresholds ? 'queued_prefill_tokens' : 'queued_prefill_tokens / context_length';
    signals = input.engines.map((engine) => (engine.queued_prefill_tokens === undefined ? null : userThresholds ? engine.queued_prefill_tokens : engine.queued_prefill_tokens / contextLength!));
  } else {
    const maxKv = input.capability?.max_kv_tokens;
    if (!(maxKv && maxKv > 0)) return insufficient(input, 'KV load (max_kv_tokens unknown)');
    threshold = userThresholds ? {up: config.decode_scale_up_kv_rate!, down: config.decode_scale_down_kv_rate!, upInclusive: true, downInclusive: true} : STATIC_THRESHOLDS[target as 'throughput' | 'latency'].decode;
    const scale = userThresholds ? 100 : 1;
    const agg = input.agg;
    signal = `${agg ? '(scheduled + queued KV + queued prefill)' : '(scheduled + queued KV)'} / max_kv_tokens${userThresholds ? ' (%)' : ''}`;
    signals = input.engines.map((engine) => {
      if (engine.scheduled_decode_kv_tokens === undefined) return null;
      const load = engine.scheduled_decode_kv_tokens + (engine.queued_decode_kv_tokens ?? 0) + (agg ? (engine.queued_prefill_tokens ?? 0) : 0);
      return (load / maxKv) * scale;
    });
  }
  const known = signals.filter((value): value is number => value !== null);
  if (known.length === 0 || input.current === 0) return insufficient(input, signal, signals);
  const over = known.map((value) => (threshold.upInclusive ? value >= threshold.up : value > threshold.up));
  const under = known.map((value) => (threshold.downInclusive ? value <= threshold.down : value < threshold.down));
  return {...anyUpAllDown(input, over, under, known.length === signals.length), signals, signal};
}

function insufficient(input: RoleLoadInput, signal: string, signals: (number | null)[] = input.engines.map(() => null)): RoleLoadOutcome {
  return {desired: null, reason: 'insufficient_data', signals, signal};
}
