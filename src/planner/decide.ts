// The planner's pure decision core: one tick in, one decision out. No clock of its own (time is tick.now_s), no I/O;
// everything it remembers is in the returned state, plain JSON. Loop order follows Dynamo's on_tick: the load loop,
// then the throughput loop, whose decision is used only when the load loop has none; then our holds.
import type {EngineCapacities} from './capacity.js';
import {advanceSchedule, dueLoops, nextTickAt} from './cadence.js';
import {type PlannerConfig, scaledRoles} from './config.js';
import {buildDiagnostics, type TickDiagnostics} from './diagnostics.js';
import {applyScaleToZero, holdScaleDowns} from './hold.js';
import {type LoadLoopResult, runLoadLoop} from './load-loop.js';
import {fitRegressions, gpusPerEngine, roleCounts, trainOnEngines} from './observe.js';
import type {LoadReason, ThroughputReason} from './reasons.js';
import {copyPlannerState, type PlannerState} from './state.js';
import {sampleReadyPrefill, throughputCapacities} from './queue-model/sizing.js';
import {heldFloor, runTriggers, triggersOn} from './queue-model/triggers.js';
import {averageOf} from './regression.js';
import {runThroughputLoop, type ThroughputLoopResult} from './throughput-loop.js';
import type {TickInput, WorkerRole} from './tick.js';
import type {RoleNumbers} from './apply-budget.js';

export interface PlannerDecision {
  /** Replicas to scale each role to; null = no change (or a role this mode does not scale). Agg workers are `decode`. */
  scale_to: {prefill: number | null; decode: number | null};
  reasons: {
    load: LoadReason;
    throughput: ThroughputReason;
    /** The load loop's reason per role (disagg reports both); null for a role not scaled or a tick without a load loop. */
    load_prefill: LoadReason | null;
    load_decode: LoadReason | null;
  };
  diagnostics: TickDiagnostics;
  state: PlannerState;
}

/**
 * Decide one tick. `capacities` gives per-engine capacity (from profiles) to the throughput loop; without it that
 * loop uses the online regression once load ticks have trained it, and says model_not_ready until then.
 */
export function decide(config: PlannerConfig, state: PlannerState, tick: TickInput, capacities?: EngineCapacities): PlannerDecision {
  const next = copyPlannerState(state);
  const notes: string[] = [];
  const now = tick.now_s;
  const roles = scaledRoles(config.mode);
  const counts = {prefill: roleCounts(tick, 'prefill', roles.includes('prefill') ? notes : []), decode: roleCounts(tick, 'decode', roles.includes('decode') ? notes : [])};
  const gpus = {prefill: gpusPerEngine(config, tick, 'prefill'), decode: gpusPerEngine(config, tick, 'decode')};
  const due = dueLoops(config, state.schedule, now);
  // The load cadence also runs when only the queue model's triggers need it; the load loop itself only when it is on.
  const loadLoopDue = due.load && config.enable_load_scaling;
  if (due.load || due.throughput) sampleReadyPrefill(next.queue_model, counts.prefill.ready);

  // Only the sla target estimates latency, so only it trains the step-time regressions.
  const sla = config.optimization_target === 'sla';
  if (due.load && sla) trainOnEngines(config, next, tick);
  const fits = sla ? fitRegressions(config, next) : {};
  let load: LoadLoopResult | undefined;
  if (loadLoopDue) load = runLoadLoop(config, next, tick, counts, gpus, fits, notes);
  let throughput: ThroughputLoopResult | undefined;
  if (due.throughput) throughput = runThroughputLoop(config, next, tick, counts, gpus, throughputCapacities(config, next.queue_model, tick, capacities, notes), fits, notes);

  let loadReason: LoadReason = config.enable_load_scaling ? (load?.reason ?? 'unset') : 'disabled';
  let throughputReason: ThroughputReason = config.enable_throughput_scaling ? (throughput?.reason ?? 'unset') : 'disabled';
  const roleReasons = {...(load?.roleReasons ?? {})};
  const source = load?.changed ? 'load' : throughput?.changed ? 'throughput' : null;
  const proposal: RoleNumbers = {...(source === 'load' ? load!.targets : source === 'throughput' ? throughput!.targets : {})};
  const ready = {prefill: counts.prefill.ready, decode: counts.decode.ready};

  if (due.load && triggersOn(config)) {
    const isl = next.last_traffic.isl ?? (averageOf(next.averages.prefill_isl) || null);
    const added = runTriggers({config, state: next.queue_model, tick, counts, gpus, capacities, isl}, notes);
    for (const role of roles) {
      if (added[role] === undefined || added[role]! <= (proposal[role] ?? 0)) continue;
      proposal[role] = added[role];
      roleReasons[role] = 'queue_trigger';
      loadReason = 'queue_trigger';
    }
  }
  for (const role of roles) if (proposal[role] !== undefined) proposal[role] = heldFloor(next.queue_model, role, proposal[role]!, now);

  if (loadLoopDue || due.throughput) {
    const held = holdScaleDowns(config, next, proposal, ready, roles, now);
    if (held.length > 0) {
      notes.push(`scale-down of ${held.join(' and ')} deferred (needs ${config.scale_down_sustained_ticks} sustained ticks and ${config.scale_down_cooldown_s} s since the last change)`);
      if (source === 'load') {
        for (const role of held) roleReasons[role] = 'scale_down_deferred';
        if (!roles.some((role) => proposal[role] !== undefined && proposal[role] !== ready[role])) loadReason = 'scale_down_deferred';
      } else {
        throughputReason = 'scale_down_deferred';
      }
    }
  }
  const zero = applyScaleToZero(config, next, tick, proposal, roles);
  if (zero) throughputReason = zero;

  const scaleTo = {prefill: null as number | null, decode: null as number | null};
  for (const role of roles) {
    const target = proposal[role];
    if (target === undefined || target === ready[role]) continue;
    scaleTo[role] = target;
    next.roles[role].last_change_s = now;
  }
  next.schedule = advanceSchedule(config, state.schedule, now, due);

  const diagnostics = buildDiagnostics({config, state: next, tick, roles, counts, gpus, due, load, throughput, fits, nextTickS: nextTickAt(next.schedule), notes});
  return {
    scale_to: scaleTo,
    reasons: {load: loadReason, throughput: throughputReason, load_prefill: roleReason(roles, roleReasons, 'prefill'), load_decode: roleReason(roles, roleReasons, 'decode')},
    diagnostics,
    state: next,
  };
}

function roleReason(roles: WorkerRole[], reasons: Partial<Record<WorkerRole, LoadReason>>, role: WorkerRole): LoadReason | null {
  return roles.includes(role) ? (reasons[role] ?? null) : null;
}
