// The built-in replay policies, each a planner configuration on the same deployment facts (mode, SLA, budget), so
// that they differ only in how they decide. static-peak has no planner: fixed replicas sized for the trace's peak.
import {badInput} from '../errors/errors.js';
import {loadPlannerConfig, parsePlannerConfig, type PlannerConfig, type PlannerConfigInput} from '../planner/index.js';
import type {ReplayPolicy, ReplaySla} from './types.js';

export const BUILTIN_POLICIES = ['static-peak', 'throughput', 'dynamo-sla', 'dynamo-plan'] as const;
export type BuiltinPolicy = (typeof BUILTIN_POLICIES)[number];

/** What every policy of one replay shares: the deployment, not the decision logic. */
export interface PolicyBase {
  mode: PlannerConfig['mode'];
  sla: ReplaySla;
  /** -1: no budget. */
  max_gpu_budget: number;
  min_endpoint: number;
  /** Seconds an engine takes to become ready; only dynamo-plan is told (Dynamo has no start-up model). */
  startup_s: number;
  /** dynamo-plan's prefill-model corrections; each left out is on (the default, OURS_SWITCHES). */
  ours?: Partial<OurSwitches>;
}

/** dynamo-plan's corrections of its prefill queue model, each switchable so replay can measure it. */
export interface OurSwitches {
  /** G/G/c: the arrivals' measured dispersion in the queue model (false: Poisson M/G/c). */
  arrival_variability: boolean;
  /** Learn the queue wait's multiplier from the prefill legs' observed mean time (Dynamo's p_cf idea, fitted against
   * the modelled wait so the clumps' floor at low load is not applied at the peak). */
  ttft_feedback: boolean;
  /** Scale prefill up on the load cadence when queued prefill work outgrows a share of the TTFT target. */
  queue_trigger: boolean;
  /** Size decode for the SLA percentile of its batch within the KV cache (false: Dynamo's batch that fills it). */
  decode_headroom: boolean;
  /** Scale decode up on the load cadence when prompts waiting for KV room outgrow a share of the engines' KV cache. */
  decode_trigger: boolean;
}

export const OURS_SWITCHES: OurSwitches = {arrival_variability: true, ttft_feedback: true, queue_trigger: true, decode_headroom: true, decode_trigger: true};

/** Our improvements' settings in dynamo-plan; see builtinPolicy for why each value. */
const OURS = {
  throughput_sizing_percentile: 90,
  scale_down_sustained_ticks: 2,
  scale_down_at_zero_traffic: true,
  queue_model_percentile: 99,
  // The trace's 10 s peaks run ~25% above its 180 s ones, and a TTFT budget of hundreds of ms cannot queue through them.
  prefill_burst_window_s: 10,
  prefill_burst_percentile: 90,
} as const;

/** The triggers act when queued prompts would take half the TTFT target to drain, or wait for half the engines' KV
 * cache (0.1 and 1 measured within 0.01 point of it on Mooncake x3). */
const TRIGGER_SHARE = 0.5;

/** A built-in policy on `base`. */
export function builtinPolicy(name: BuiltinPolicy, base: PolicyBase): ReplayPolicy {
  const shared: PlannerConfigInput = {mode: base.mode, max_gpu_budget: base.max_gpu_budget, min_endpoint: base.min_endpoint, environment: 'virtual'};
  const sla: PlannerConfigInput = {...shared, optimization_target: 'sla', ttft: base.sla.ttft_ms, itl: base.sla.itl_ms};
  switch (name) {
    case 'static-peak':
      return {name, kind: 'static', description: 'the cheapest fixed fleet that holds 99% of requests within the SLA in replay (searched from the sizer\'s fleet for the trace\'s peak throughput interval)'};
    case 'throughput':
      return {name, kind: 'planner', config: parse({...shared, optimization_target: 'throughput'}, name), description: 'Dynamo target throughput: static queue/KV thresholds, +1/-1 per 5 s load tick'};
    case 'dynamo-sla':
      // Dynamo's defaults under target sla: throughput scaling only, every 180 s, ARIMA on the mean request count.
      return {name, kind: 'planner', config: parse(sla, name), description: 'Dynamo target sla with its defaults: mean forecast (ARIMA) every 180 s, no start-up model, idle intervals skipped'};
    case 'dynamo-plan': {
      const on = {...OURS_SWITCHES, ...base.ours};
      const config = parse({
        ...sla,
        ...OURS,
        prefill_arrival_variability: on.arrival_variability,
        prefill_wait_feedback: on.ttft_feedback,
        prefill_queue_trigger_share: on.queue_trigger ? TRIGGER_SHARE : null,
        decode_kv_headroom: on.decode_headroom,
        decode_kv_trigger_share: on.decode_trigger ? TRIGGER_SHARE : null,
        engine_startup_s: base.startup_s,
        // One throughput interval after a change before a scale-down: a new engine is first given time to show its effect.
        scale_down_cooldown_s: 180,
      }, name);
      return {name, kind: 'planner', config, description: oursDescription(on, base.startup_s)};
    }
  }
}

function oursDescription(on: OurSwitches, startupS: number): string {
  return [
    `target sla with our improvements: the prefill pool sized for p${OURS.queue_model_percentile} TTFT as one ${on.arrival_variability ? 'G/G/c queue (the arrivals\' measured dispersion)' : 'M/G/c queue'} at the p${OURS.prefill_burst_percentile} of the last interval's ${OURS.prefill_burst_window_s} s rates`,
    ...(on.ttft_feedback ? ['its queue wait corrected by a multiplier fitted to the prefill legs\' observed mean time'] : []),
    ...(on.queue_trigger ? [`prefill added on the load cadence when queued work exceeds ${TRIGGER_SHARE * 100}% of the TTFT target`] : []),
    ...(on.decode_headroom ? ['decode sized for the p99 of its batch within the KV cache and ITL target'] : []),
    ...(on.decode_trigger ? [`decode added on the load cadence when prompts waiting for KV exceed ${TRIGGER_SHARE * 100}% of the engines' KV cache`] : []),
    `p${OURS.throughput_sizing_percentile} forecast sizing, start-up lookahead (${startupS} s), scale-down after ${OURS.scale_down_sustained_ticks} sustained ticks and a 180 s cool-down, zero traffic counts as zero demand`,
  ].join(', ');
}

/** A user policy from a configuration file, named after the file. */
export function configPolicy(path: string, name: string): ReplayPolicy {
  return {name, kind: 'planner', config: loadPlannerConfig(path), description: `planner configuration ${path}`};
}

/** Resolve `--compare` names: built-ins, plus the user's policy under its name. */
export function resolvePolicies(names: readonly string[], base: PolicyBase, user: ReplayPolicy | undefined): ReplayPolicy[] {
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = raw.trim();
    if (seen.has(name)) throw badInput(`Policy ${name} is listed twice in --compare.`, 'Name each policy once.', 'E_BAD_POLICY');
    seen.add(name);
    if (user && name === user.name) return user;
    if ((BUILTIN_POLICIES as readonly string[]).includes(name)) return builtinPolicy(name as BuiltinPolicy, base);
    const known = [...BUILTIN_POLICIES, ...(user ? [user.name] : [])].join(', ');
    throw badInput(`Unknown policy "${name}".`, `Known policies: ${known}${user ? '' : ' (add your own with --config FILE; it is named after the file)'}.`, 'E_BAD_POLICY');
  });
}

function parse(input: PlannerConfigInput, name: string): PlannerConfig {
  return parsePlannerConfig(input, `policy ${name}`);
}
