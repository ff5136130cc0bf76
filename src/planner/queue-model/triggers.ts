// The queue model's triggers, on the load cadence between throughput ticks: what the engines hold queued now, where
// the throughput loop only sees the last interval's rate. The prefill trigger reads the prompt tokens queued on the
// ready prefill engines; the decode trigger the KV of prompts waiting for room on the decode engines (on a
// long-prompt trace like Mooncake's, the opening decode pool fills its KV caches long before the first throughput
// tick). Each adds engines at most doubling the pool, once no engine of the role is still starting, within the GPU
// budget, and holds what it added as a floor of later targets for a start-up plus a throughput interval, so the next
// throughput tick does not undo it before it shows its effect.
import type {RoleNumbers} from '../apply-budget.js';
import type {EngineCapacities} from '../capacity.js';
import type {PlannerConfig} from '../config.js';
import type {RoleCounts} from '../observe.js';
import {engineList} from '../observe.js';
import type {TickInput, WorkerRole} from '../tick.js';
import type {QueueModelState} from './state.js';

export function triggersOn(config: PlannerConfig): boolean {
  return config.prefill_queue_trigger_share !== null || config.decode_kv_trigger_share !== null;
}

export interface TriggerContext {
  config: PlannerConfig;
  state: QueueModelState;
  tick: TickInput;
  counts: Record<WorkerRole, RoleCounts>;
  gpus: Record<WorkerRole, number>;
  capacities: EngineCapacities | undefined;
  /** The mean prompt of the latest traffic seen (the prefill rate depends on it). */
  isl: number | null;
}

/** Replicas the triggers add this tick, per role (raised above the ready count); notes say why. */
export function runTriggers(context: TriggerContext, notes: string[]): RoleNumbers {
  const {config, counts, gpus} = context;
  const added: RoleNumbers = {};
  // Agg engines share one pool whose queue both triggers would read differently: the triggers are for disagg pools.
  if (config.mode === 'agg') return added;
  const expectedGpus = (role: WorkerRole) => (added[role] ?? counts[role].expected ?? 0) * gpus[role];
  const withinBudget = (role: WorkerRole, target: number) => {
    if (config.max_gpu_budget < 0) return target;
    const other: WorkerRole = role === 'prefill' ? 'decode' : 'prefill';
    return Math.min(target, Math.floor((config.max_gpu_budget - expectedGpus(other)) / gpus[role]));
  };
  const wanted = {prefill: config.mode !== 'decode' ? prefillTarget(context) : null, decode: config.mode !== 'prefill' ? decodeTarget(context) : null};
  for (const role of ['prefill', 'decode'] as const) {
    const trigger = wanted[role];
    if (!trigger) continue;
    const target = withinBudget(role, trigger.target);
    if (target <= counts[role].ready!) continue;
    added[role] = target;
    context.state.held[role] = {count: target, until_s: context.tick.now_s + config.engine_startup_s + config.throughput_adjustment_interval};
    notes.push(`${role} trigger: ${trigger.why}; adding ${target - counts[role].ready!}`);
  }
  return added;
}

/** A role's target held up to what a trigger added while that is recent. */
export function heldFloor(state: QueueModelState, role: WorkerRole, target: number, nowS: number): number {
  const held = state.held[role];
  return held.until_s !== null && nowS < held.until_s ? Math.max(target, held.count) : target;
}

/** A role with ready engines and none still starting, or null. */
function settledReady(counts: RoleCounts): number | null {
  const ready = counts.ready;
  if (ready === null || ready === 0 || (counts.expected ?? ready) > ready) return null;
  return ready;
}

function prefillTarget({config, tick, counts, capacities, isl}: TriggerContext): {target: number; why: string} | null {
  const share = config.prefill_queue_trigger_share;
  const ready = settledReady(counts.prefill);
  if (share === null || ready === null || isl === null || isl <= 0 || !capacities?.prefill) return null;
  let queued = 0;
  for (const engine of engineList(tick, 'prefill')) queued += engine.queued_prefill_tokens ?? 0;
  const tokensPerSecond = capacities.prefill(isl).requestsPerSecond * isl;
  if (!(tokensPerSecond > 0)) return null;
  const queueMs = (queued / ready / tokensPerSecond) * 1000;
  const budgetMs = share * config.ttft;
  if (queueMs <= budgetMs) return null;
  return {target: Math.min(2 * ready, Math.max(ready + 1, Math.ceil((ready * queueMs) / budgetMs))), why: `queued prompts take ${queueMs.toFixed(0)} ms per engine to drain (over ${budgetMs.toFixed(0)} ms)`};
}

function decodeTarget({config, tick, counts}: TriggerContext): {target: number; why: string} | null {
  const share = config.decode_kv_trigger_share;
  const ready = settledReady(counts.decode);
  const kvTokens = tick.capabilities?.decode?.max_kv_tokens;
  if (share === null || ready === null || !kvTokens) return null;
  let waiting = 0;
  for (const engine of engineList(tick, 'decode')) waiting += engine.queued_decode_kv_tokens ?? 0;
  if (waiting <= share * kvTokens * ready) return null;
  return {target: Math.min(2 * ready, ready + Math.ceil(waiting / kvTokens)), why: `${waiting} KV tokens wait for room (over ${(share * 100).toFixed(0)}% of ${ready} engines' KV cache)`};
}
