// One throughput tick: forecast the traffic, size each role from engine capacity, then either scale to it
// (throughput scaling alone, reason `scale`) or make it the floor the load loop moves above (reason
// `set_lower_bound`), as Dynamo combines the two modes.
import {applyBudget, type RoleNumbers} from './apply-budget.js';
import type {EngineCapacities} from './capacity.js';
import {type PlannerConfig, scaledRoles} from './config.js';
import {forecastTraffic, type TrafficForecast} from './forecast.js';
import type {RoleCounts, RoleFits} from './observe.js';
import type {ThroughputReason} from './reasons.js';
import {capacitiesFromRegression} from './regression-capacity.js';
import type {PlannerState} from './state.js';
import {sizeForThroughput, type ThroughputSizing} from './throughput-scaling.js';
import type {TickInput, WorkerRole} from './tick.js';

export interface ThroughputLoopResult {
  reason: ThroughputReason;
  /** Replicas to scale to (after min_endpoint and the budget); empty when nothing is to change. */
  targets: RoleNumbers;
  changed: boolean;
  forecast: TrafficForecast;
  sizing?: ThroughputSizing;
  /** Replicas the forecast needs before the budget (the floor when load scaling is on too). */
  needed?: RoleNumbers;
  capacitySource: {prefill?: string; decode?: string};
}

export function runThroughputLoop(config: PlannerConfig, state: PlannerState, tick: TickInput, counts: Record<WorkerRole, RoleCounts>, gpus: Record<WorkerRole, number>, given: EngineCapacities | undefined, fits: RoleFits, notes: string[]): ThroughputLoopResult {
  const forecast = forecastTraffic(config, state, tick.traffic, notes);
  if (!forecast.ok) return {reason: forecast.reason, targets: {}, changed: false, forecast, capacitySource: {}};
  const capacities = withRegressionFallback(tick, given, fits);
  const roles = scaledRoles(config.mode);
  const {isl, osl} = forecast.predicted;
  let sizing: ThroughputSizing;
  if (isl === null || osl === null) {
    // Idle since start-up: no lengths known, and none needed to size for zero demand.
    sizing = {ready: true, replicas: Object.fromEntries(roles.map((role) => [role, config.min_endpoint])), engineRps: {}};
  } else {
    sizing = sizeForThroughput(config, {requestsPerSecond: forecast.demandRps, isl, osl, kvHitRate: forecast.observed.kvHitRate}, capacities, tick.capabilities ?? {});
  }
  const capacitySource = capacities.source ?? {};
  if (!sizing.ready) {
    notes.push(`throughput: no capacity model for ${sizing.missing.join(' and ')} (pass --profile, or let load ticks train the regression)`);
    return {reason: 'model_not_ready', targets: {}, changed: false, forecast, sizing, capacitySource};
  }
  const needed = sizing.replicas;
  if (config.enable_load_scaling) {
    for (const role of roles) state.throughput_lower_bound[role] = needed[role]!;
    // The floor acts at once on a role below it; the load loop keeps it there (its decision wins when it has one).
    const below = roles.filter((role) => counts[role].ready !== null && counts[role].ready! < needed[role]!);
    const lifted = Object.fromEntries(roles.map((role) => [role, Math.max(counts[role].ready ?? 0, needed[role]!)]));
    const budgeted = applyBudget(config, lifted, gpus);
    const targets = Object.fromEntries(below.map((role) => [role, budgeted[role]!]));
    return {reason: 'set_lower_bound', targets, changed: below.some((role) => budgeted[role] !== counts[role].ready), forecast, sizing, needed, capacitySource};
  }
  const targets = applyBudget(config, needed, gpus);
  const changed = roles.some((role) => targets[role] !== counts[role].ready);
  return {reason: 'scale', targets, changed, forecast, sizing, needed, capacitySource};
}

/** The capacities given (profiles) per role, and the online regression's for a role they do not cover. */
function withRegressionFallback(tick: TickInput, given: EngineCapacities | undefined, fits: RoleFits): EngineCapacities {
  const fallback = capacitiesFromRegression({prefill: fits.prefill?.fit, decode: fits.decode?.fit}, tick.capabilities?.prefill);
  const prefill = given?.prefill ?? fallback.prefill;
  const decode = given?.decode ?? fallback.decode;
  return {
    ...(prefill ? {prefill} : {}),
    ...(decode ? {decode} : {}),
    source: {
      ...(given?.prefill ? {prefill: given.source?.prefill ?? 'given'} : fallback.source?.prefill ? {prefill: fallback.source.prefill} : {}),
      ...(given?.decode ? {decode: given.source?.decode ?? 'given'} : fallback.source?.decode ? {decode: fallback.source.decode} : {}),
    },
  };
}
