// Load-based SLA scaling (target sla, Dynamo's core/load_scaling.py with the consolidation-aware scale-down of
// PR #9294): estimate each engine's next TTFT or ITL from the online step-time regression, add a replica when every
// engine misses the SLA, and remove one only when each survivor, taking its share of the removed engine's queue,
// would still stay within `sensitivity` of the SLA.
import type {PlannerConfig} from './config.js';
import {type LinearFit, predictStepTime} from './regression.js';
import type {RoleLoadInput, RoleLoadOutcome} from './role-load.js';

export interface SlaLoadModels {
  /** Step time from prefill tokens; undefined while the regression is not ready. */
  prefill?: LinearFit;
  /** Step time from (decode requests, decode KV tokens). */
  decode?: LinearFit;
  /** Average prompt length the next request adds (moving average of scheduled tokens per prompt). */
  avgIsl: number;
  /** Average KV tokens of a decoding request, and average decode batch. */
  avgDecodeLength: number;
  avgDecodeRequests: number;
  kvHitRate: number;
}

/** Seconds until a request arriving now gets its first token: the queue plus its own prompt, chunked by MBT. */
export function estimateNextTtftS(fit: LinearFit, queuedTokens: number, maxNumBatchedTokens: number, avgIsl: number, kvHitRate: number): number {
  let remaining = (queuedTokens + avgIsl) * (1 - kvHitRate);
  if (remaining <= 0) return 0;
  let total = 0;
  while (remaining > 0) {
    const chunk = Math.min(remaining, maxNumBatchedTokens);
    total += predictStepTime(fit, [chunk]);
    remaining -= chunk;
  }
  return total;
}

/** Seconds of the next decode step once one more average request joins the batch. */
export function estimateNextItlS(fit: LinearFit, kvTokens: number, models: SlaLoadModels): number {
  return predictStepTime(fit, [models.avgDecodeRequests + 1, kvTokens + models.avgDecodeLength]);
}

export function slaLoadDecision(config: PlannerConfig, input: RoleLoadInput, models: SlaLoadModels): RoleLoadOutcome {
  return input.role === 'prefill' ? prefillDecision(config, input, models) : decodeDecision(config, input, models);
}

function prefillDecision(config: PlannerConfig, input: RoleLoadInput & {role: 'prefill'}, models: SlaLoadModels): RoleLoadOutcome {
  const signal = 'estimated TTFT (ms)';
  const fit = models.prefill;
  const mbt = input.capability?.max_num_batched_tokens;
  if (!fit || input.current === 0 || !(mbt && mbt > 0)) return {desired: null, reason: 'insufficient_data', signals: input.engines.map(() => null), signal};
  const n = input.current;
  const sensitivity = config.load_scaling_down_sensitivity / 100;
  const consolidation = n > 1 ? n / (n - 1) : 1;
  const estimate = (queued: number) => estimateNextTtftS(fit, queued, mbt, models.avgIsl, models.kvHitRate) * 1000;
  // The new request's own prefill does not shrink with more workers: only the queue-induced part gets the margin.
  const ownMs = estimate(0);
  const queueBudgetMs = (config.ttft - ownMs) * sensitivity;
  let canScaleDown = n > 1;
  let refused = false;
  if (canScaleDown && queueBudgetMs <= 0) {
    canScaleDown = false;
    refused = true;
  }
  const signals = input.engines.map((engine) => {
    if (engine.queued_prefill_tokens === undefined) {
      canScaleDown = false;
      return null;
    }
    if (canScaleDown && estimate(Math.trunc(engine.queued_prefill_tokens * consolidation)) - ownMs >= queueBudgetMs) {
      canScaleDown = false;
      refused = true;
    }
    return estimate(engine.queued_prefill_tokens);
  });
  return scaleDecision(config, input, signals, config.ttft, canScaleDown, refused, signal);
}

function decodeDecision(config: PlannerConfig, input: RoleLoadInput & {role: 'decode'}, models: SlaLoadModels): RoleLoadOutcome {
  const signal = 'estimated ITL (ms)';
  const fit = models.decode;
  if (!fit || input.current === 0) return {desired: null, reason: 'insufficient_data', signals: input.engines.map(() => null), signal};
  const n = input.current;
  const sensitivity = config.load_scaling_down_sensitivity / 100;
  const consolidation = n > 1 ? n / (n - 1) : 1;
  const maxKv = input.capability?.max_kv_tokens;
  let canScaleDown = n > 1;
  let refused = false;
  const signals = input.engines.map((engine) => {
    if (engine.scheduled_decode_kv_tokens === undefined) {
      canScaleDown = false;
      return null;
    }
    const queued = (engine.queued_decode_kv_tokens ?? 0) + (input.agg ? (engine.queued_prefill_tokens ?? 0) : 0);
    if (canScaleDown) {
      const survivorKv = Math.trunc((engine.scheduled_decode_kv_tokens + queued) * consolidation);
      // Past the KV cache the engine queues and preempts, which no step-time regression models: refuse outright.
      if ((maxKv !== undefined && maxKv > 0 && survivorKv >= maxKv) || estimateNextItlS(fit, survivorKv, models) * 1000 >= config.itl * sensitivity) {
        canScaleDown = false;
        refused = true;
      }
    }
    return estimateNextItlS(fit, engine.scheduled_decode_kv_tokens + (engine.queued_decode_kv_tokens ?? 0), models) * 1000;
  });
  return scaleDecision(config, input, signals, config.itl, canScaleDown, refused, signal);
}

function scaleDecision(config: PlannerConfig, input: RoleLoadInput, signals: (number | null)[], slaMs: number, canScaleDown: boolean, refused: boolean, signal: string): RoleLoadOutcome {
  const known = signals.filter((value): value is number => value !== null);
  if (known.length === 0) return {desired: null, reason: 'insufficient_data', signals, signal};
  if (known.every((value) => value > slaMs)) return {desired: input.current + 1, reason: 'scale_up', signals, signal};
  if (input.current > 1 && canScaleDown) return {desired: Math.max(input.current - 1, config.min_endpoint), reason: 'scale_down', signals, signal};
  return {desired: null, reason: refused ? 'scale_down_refused_consolidation' : 'no_change', signals, signal};
}
