// One load tick over every scaled role: the guards (unknown counts, scaling in progress, missing or mismatched
// engines), each role's load decision, then Dynamo's combination: the throughput floor, min_endpoint, the GPU budget,
// and a reason per role aggregated into one.
import {applyBudget, type RoleNumbers} from './apply-budget.js';
import {type PlannerConfig, scaledRoles} from './config.js';
import {type SlaLoadModels, slaLoadDecision} from './load-scaling.js';
import {engineList, type RoleCounts, type RoleFits, workersMatch} from './observe.js';
import {aggregateLoadReason, type LoadReason} from './reasons.js';
import {averageOf} from './regression.js';
import type {RoleLoadInput, RoleLoadOutcome} from './role-load.js';
import type {PlannerState} from './state.js';
import {staticThresholdDecision} from './static-thresholds.js';
import type {TickInput, WorkerRole} from './tick.js';

export interface LoadLoopResult {
  reason: LoadReason;
  roleReasons: Partial<Record<WorkerRole, LoadReason>>;
  /** Replicas per role after floor, min_endpoint and budget; roles the guards stopped are left out. */
  targets: RoleNumbers;
  /** Whether any target differs from the ready count (Dynamo's "load returned a decision"). */
  changed: boolean;
  outcomes: Partial<Record<WorkerRole, RoleLoadOutcome>>;
  models: SlaLoadModels | undefined;
}

export function runLoadLoop(config: PlannerConfig, state: PlannerState, tick: TickInput, counts: Record<WorkerRole, RoleCounts>, gpus: Record<WorkerRole, number>, fits: RoleFits, notes: string[]): LoadLoopResult {
  const roles = scaledRoles(config.mode);
  const models = config.optimization_target === 'sla' ? slaModels(config, state, fits, notes) : undefined;
  const outcomes: Partial<Record<WorkerRole, RoleLoadOutcome>> = {};
  const guardReasons: Partial<Record<WorkerRole, LoadReason>> = {};
  const decided: WorkerRole[] = [];
  for (const role of roles) {
    const {ready, expected} = counts[role];
    const engines = engineList(tick, role as 'prefill');
    if (ready === null) {
      guardReasons[role] = 'no_fpm_data';
      continue;
    }
    if (expected !== null && expected !== ready) {
      guardReasons[role] = 'scaling_in_progress';
      continue;
    }
    if (engines.length > 0 && !workersMatch(engines, ready)) {
      notes.push(`${role}: ${new Set(engines.map((engine) => engine.worker_id)).size} workers reported engine data but ${ready} are ready`);
      guardReasons[role] = 'worker_count_mismatch';
      continue;
    }
    decided.push(role);
    if (engines.length === 0) {
      guardReasons[role] = 'no_fpm_data';
      continue;
    }
    const input = roleInput(config, tick, role, ready);
    outcomes[role] = config.optimization_target === 'sla' ? slaLoadDecision(config, input, models!) : staticThresholdDecision(config, input);
  }

  // Dynamo's order: the load decision (or the ready count), lifted to the throughput floor, then min_endpoint, then
  // the budget; a role the guards stopped keeps its ready count in the budget sum but gets no target.
  const original: RoleNumbers = {};
  const postFloor: RoleNumbers = {};
  const wanted: RoleNumbers = {};
  for (const role of roles) {
    const current = counts[role].ready;
    if (current === null) continue;
    const desired = decided.includes(role) ? (outcomes[role]?.desired ?? current) : current;
    original[role] = desired;
    postFloor[role] = decided.includes(role) && config.enable_throughput_scaling ? Math.max(desired, state.throughput_lower_bound[role]) : desired;
    wanted[role] = decided.includes(role) ? Math.max(postFloor[role]!, config.min_endpoint) : current;
  }
  const budgeted = roles.every((role) => wanted[role] !== undefined) ? applyBudget(config, wanted, gpus) : wanted;

  const targets: RoleNumbers = {};
  const roleReasons: Partial<Record<WorkerRole, LoadReason>> = {};
  for (const role of roles) {
    if (!decided.includes(role)) {
      roleReasons[role] = guardReasons[role]!;
      continue;
    }
    const current = counts[role].ready!;
    const final = budgeted[role] ?? wanted[role]!;
    targets[role] = final;
    const floorCapped = postFloor[role]! > original[role]! && original[role]! < current;
    roleReasons[role] = final > current ? 'scale_up' : final < current ? (floorCapped ? 'scale_down_capped_by_throughput' : 'scale_down') : floorCapped ? 'scale_down_capped_by_throughput' : 'no_change';
  }
  const changed = Object.entries(targets).some(([role, target]) => target !== counts[role as WorkerRole].ready);
  if (!changed) {
    // Nothing moves: report why each role held (insufficient_data, refused consolidation, a guard...) rather than
    // a bare no_change.
    for (const role of roles) {
      const informative = guardReasons[role] ?? outcomes[role]?.reason;
      if (informative && informative !== 'no_change' && roleReasons[role] !== 'scale_down_capped_by_throughput') roleReasons[role] = informative;
    }
  }
  const reasons = roles.map((role) => roleReasons[role]!);
  const reason = changed ? aggregateLoadReason(reasons) : (reasons.find((candidate) => candidate !== 'no_change') ?? 'no_change');
  return {reason, roleReasons, targets, changed, outcomes, models};
}

function roleInput(config: PlannerConfig, tick: TickInput, role: WorkerRole, current: number): RoleLoadInput {
  const common = {current, capability: tick.capabilities?.[role], minEndpoint: config.min_endpoint};
  return role === 'prefill' ? {...common, role, engines: engineList(tick, 'prefill')} : {...common, role, engines: engineList(tick, 'decode'), agg: config.mode === 'agg'};
}

/** The regressions' current fits and the averages the latency estimates add. */
function slaModels(config: PlannerConfig, state: PlannerState, fits: RoleFits, notes: string[]): SlaLoadModels {
  for (const role of scaledRoles(config.mode)) {
    const outcome = fits[role];
    if (outcome && !outcome.fit) notes.push(`${role} regression: ${outcome.problem === 'insufficient_data' ? `${state.regression[role].samples.length} of ${config.load_min_observations} step samples` : 'a negative coefficient (more work, less time): fit refused until more data arrives'}`);
  }
  let avgIsl = averageOf(state.averages.prefill_isl);
  if (avgIsl === 0 && state.last_traffic.isl !== null) {
    avgIsl = state.last_traffic.isl;
    notes.push('prefill: engines report no num_prefill_requests; the TTFT estimate adds the traffic ISL');
  }
  return {
    prefill: fits.prefill?.fit,
    decode: fits.decode?.fit,
    avgIsl,
    avgDecodeLength: averageOf(state.averages.decode_length),
    avgDecodeRequests: averageOf(state.averages.decode_requests),
    kvHitRate: state.last_traffic.kv_hit_rate,
  };
}
