// Replicas per role for a demand, the config choice, and the GPU budget: from evaluated candidates to a deployment.
import type {EvaluatedRole, Evaluated} from './evaluate.js';
import {poolCapacityRps, type RoleModel} from './role-model.js';
import type {ModeSizing, RoleEngine, SizedRole, SizingInput, SizingMode} from './types.js';

export type ModeOutcome = {feasible: true; sizing: ModeSizing} | {feasible: false; reason: string};

/** One role's engines in a plan: which evaluated config, how many replicas, and why that many. */
interface RolePlan {
  chosen: EvaluatedRole;
  replicas: number;
  setBy: SizedRole['replicas_set_by'];
}

/**
 * Replicas for `demandRps`: the fewest engines whose pool carries the demand, at least `minReplicas`. Without pooling
 * that is ceil(demand / per-engine capacity); pooled engines carry more each, so the search runs below that bound.
 */
export function replicasFor(demandRps: number, model: RoleModel, minReplicas: number): {replicas: number; setBy: 'demand' | 'min-replicas'} {
  const replicas = model.pool && model.capacity.feasible ? poolReplicasFor(demandRps, model) : Math.max(0, Math.ceil(demandRps / model.capacity.capacityRps - 1e-9));
  return replicas >= minReplicas ? {replicas, setBy: 'demand'} : {replicas: minReplicas, setBy: 'min-replicas'};
}

/**
 * The smallest pool that carries `demandRps`. No pool carries its engines' saturation rate, so fewer than demand /
 * saturation engines never do; the answer is usually a few above that, so it gallops up from there and then bisects
 * (each probe is a capacity search, the costliest step of a planner tick that sizes with the queue model).
 */
function poolReplicasFor(demandRps: number, model: RoleModel): number {
  const pool = model.pool!;
  // A demand that is a whole multiple of the capacity up to rounding noise needs exactly that many engines.
  const carries = (replicas: number) => poolCapacityRps(model, replicas) >= demandRps * (1 - 1e-9);
  if (!(demandRps > 0)) return 0;
  let low = Math.max(0, Math.ceil(demandRps / pool.saturationRps - 1e-9) - 1);
  let high = low + 1;
  for (let step = 1; !carries(high); step *= 2) {
    low = high;
    high = low + step;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (carries(mid)) high = mid;
    else low = mid;
  }
  return high;
}

export function sizeMode(mode: SizingMode, evaluated: Evaluated, input: SizingInput, demandRps: number): ModeOutcome {
  const usable = (roles: EvaluatedRole[]) => roles.filter((role) => role.evaluation.feasible);
  const plans: RolePlan[][] = [];
  if (mode === 'agg') {
    const agg = usable(evaluated.agg);
    if (agg.length === 0) return {feasible: false, reason: evaluated.agg.length === 0 ? 'no aggregated profile among the candidates' : 'no aggregated config meets the SLA'};
    for (const chosen of agg) plans.push(...withinBudget([chosen], demandRps, input));
  } else {
    const prefill = usable(evaluated.prefill);
    const decode = usable(evaluated.decode);
    if (prefill.length === 0) return {feasible: false, reason: evaluated.prefill.length === 0 ? 'no profile can prefill' : 'no prefill config meets the TTFT target'};
    if (decode.length === 0) return {feasible: false, reason: evaluated.decode.length === 0 ? 'no profile can decode' : 'no decode config meets the ITL target'};
    // Dynamo's classic profiler picks each role's config by throughput per GPU alone; we pick the pair that needs
    // the fewest GPUs for this demand (rounding to whole engines included).
    const pairs = input.method === 'dynamo' ? [[bestPerGpu(prefill), bestPerGpu(decode)]] : prefill.flatMap((p) => decode.map((d) => [p, d]));
    for (const pair of pairs) plans.push(...withinBudget(pair, demandRps, input));
  }
  if (plans.length === 0) return {feasible: false, reason: `the GPU budget of ${input.limits.maxGpus} cannot hold ${input.limits.minReplicas} engine(s) per role`};
  const best = plans.map((plan) => ({plan, served: servedRps(plan, demandRps), gpus: gpusOf(plan)})).sort((a, b) => b.served - a.served || a.gpus - b.gpus || perGpu(b.plan) - perGpu(a.plan))[0]!;
  return {feasible: true, sizing: toModeSizing(mode, best.plan, best.served, demandRps, input)};
}

function bestPerGpu(roles: EvaluatedRole[]): EvaluatedRole {
  return roles.toSorted((a, b) => b.evaluation.capacity_rps_per_gpu - a.evaluation.capacity_rps_per_gpu)[0]!;
}

/**
 * The plan for these configs: replicas for the demand, or, when that exceeds the GPU budget, the replica counts within
 * the budget that serve the most (ties: fewer GPUs). Empty when even the minimum replicas do not fit.
 */
function withinBudget(roles: EvaluatedRole[], demandRps: number, input: SizingInput): RolePlan[][] {
  const {minReplicas, maxGpus} = input.limits;
  const plan = roles.map((chosen) => ({chosen, ...replicasFor(demandRps, chosen.model, minReplicas)}));
  if (maxGpus === undefined || gpusOf(plan) <= maxGpus) return [plan];
  const gpus = roles.map((role) => role.candidate.gpusPerEngine);
  if (roles.length === 1) {
    const replicas = Math.floor(maxGpus / gpus[0]!);
    return replicas >= minReplicas ? [[{chosen: roles[0]!, replicas, setBy: 'gpu-budget'}]] : [];
  }
  let best: RolePlan[] | undefined;
  for (let first = minReplicas; first * gpus[0]! + minReplicas * gpus[1]! <= maxGpus; first++) {
    const second = Math.floor((maxGpus - first * gpus[0]!) / gpus[1]!);
    const candidate: RolePlan[] = [{chosen: roles[0]!, replicas: first, setBy: 'gpu-budget'}, {chosen: roles[1]!, replicas: second, setBy: 'gpu-budget'}];
    // Engines beyond what the other role can feed serve nothing: trim them.
    const served = servedRps(candidate, demandRps);
    for (const role of candidate) role.replicas = Math.min(role.replicas, replicasFor(served, role.chosen.model, minReplicas).replicas);
    if (!best || servedRps(candidate, demandRps) > servedRps(best, demandRps) + 1e-12 || (Math.abs(servedRps(candidate, demandRps) - servedRps(best, demandRps)) <= 1e-12 && gpusOf(candidate) < gpusOf(best))) best = candidate;
  }
  return best ? [best] : [];
}

function servedRps(plan: RolePlan[], demandRps: number): number {
  return Math.min(demandRps, ...plan.map((role) => poolCapacityRps(role.chosen.model, role.replicas)));
}

function gpusOf(plan: RolePlan[]): number {
  return plan.reduce((sum, role) => sum + role.replicas * role.chosen.candidate.gpusPerEngine, 0);
}

/** Capacity per GPU of the plan's weakest role: the tie-break between plans of equal GPUs. */
function perGpu(plan: RolePlan[]): number {
  return Math.min(...plan.map((role) => role.chosen.evaluation.capacity_rps_per_gpu));
}

function toModeSizing(mode: SizingMode, plan: RolePlan[], servedRps: number, demandRps: number, input: SizingInput): ModeSizing {
  const roles = plan.map((role) => sizedRole(role, servedRps));
  const total = roles.reduce((sum, role) => sum + role.gpus, 0);
  return {
    mode,
    roles,
    total_gpus: total,
    served_rps: servedRps,
    capacity_rps: Math.min(...plan.map((role) => poolCapacityRps(role.chosen.model, role.replicas))),
    throughput_per_gpu: (servedRps * input.workload.osl) / total,
    load_served_fraction: demandRps > 0 ? servedRps / demandRps : 1,
  };
}

function sizedRole({chosen, replicas, setBy}: RolePlan, servedRps: number): SizedRole {
  const {candidate, evaluation, model} = chosen;
  const load = servedRps / replicas;
  const point = model.pool ? model.pool.at(load, replicas) : model.at(load);
  return {
    role: chosen.role,
    config: {name: candidate.name, tp: candidate.engine.tp ?? candidate.gpusPerEngine, gpus_per_engine: candidate.gpusPerEngine},
    profile: candidate.source,
    engine: roleEngine(chosen),
    replicas,
    gpus: replicas * candidate.gpusPerEngine,
    capacity_rps_per_engine: poolCapacityRps(model, replicas) / replicas,
    load_rps_per_engine: load,
    predicted_ttft_ms: point.ttftMs === null ? null : point.ttftMs + chosen.ttftOffsetMs,
    predicted_itl_ms: point.itlMs,
    mean_ttft_ms: point.meanTtftMs === null ? null : point.meanTtftMs + chosen.ttftOffsetMs,
    mean_itl_ms: point.meanItlMs,
    batch: point.batch,
    batch_at_capacity: model.capacity.batchAtCapacity,
    binding: evaluation.binding,
    replicas_set_by: setBy,
  };
}

function roleEngine({candidate}: EvaluatedRole): RoleEngine {
  const {engine} = candidate;
  return {
    model: engine.model,
    backend: engine.backend,
    accelerator: engine.accelerator,
    tp: engine.tp ?? candidate.gpusPerEngine,
    pp: engine.pp ?? 1,
    dp: engine.dp ?? 1,
    max_num_seqs: engine.maxNumSeqs,
    max_num_batched_tokens: engine.maxNumBatchedTokens,
    kv_capacity_tokens: engine.kvCapacityTokens,
    max_model_len: engine.maxModelLen,
  };
}
