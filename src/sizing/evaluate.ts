// Each candidate in each role it can play: its role model at the targets, and the figures that explain the choice.
import {aggregatedRoleModel} from './aggregated.js';
import {decodeRoleModel} from './decode.js';
import {dynamoDecodeRoleModel, dynamoPrefillRoleModel} from './dynamo-method.js';
import {prefillRoleModel} from './prefill.js';
import type {RoleModel} from './role-model.js';
import type {CandidateEvaluation, RoleKind, SizingCandidate, SizingInput} from './types.js';
import type {PreparedWorkload} from './workload.js';

export interface Targets {
  ttftMs: number;
  itlMs: number;
}

export interface EvaluatedRole {
  candidate: SizingCandidate;
  role: RoleKind;
  model: RoleModel;
  evaluation: CandidateEvaluation;
  /** Added to the role's TTFT: for disaggregated prefill, the decode step that produces the first token the client sees. */
  ttftOffsetMs: number;
}

export interface Evaluated {
  prefill: EvaluatedRole[];
  decode: EvaluatedRole[];
  agg: EvaluatedRole[];
}

/**
 * Roles a candidate can play: a prefill profile prefills, a decode profile decodes, and an aggregated profile (or
 * one whose role is unknown, e.g. imported from Dynamo) serves as both, and as an aggregated engine.
 */
function rolesOf(candidate: SizingCandidate): RoleKind[] {
  const roles: RoleKind[] = [];
  const role = candidate.engine.role;
  if (candidate.ttft && role !== 'decode') roles.push('prefill');
  if (candidate.itl && role !== 'prefill') roles.push('decode');
  if (candidate.ttft && candidate.itl && (role === 'agg' || role === null)) roles.push('agg');
  return roles;
}

export function evaluateCandidates(input: SizingInput, workload: PreparedWorkload, targets: Targets): Evaluated {
  const evaluated: Evaluated = {prefill: [], decode: [], agg: []};
  const firstDecodeStepMs = input.method === 'dynamo' ? 0 : firstDecodeStep(input, workload, targets);
  // Decode first, so prefill can leave room in the TTFT target for the decode step that emits the first token.
  const order = (roles: RoleKind[]) => roles.toSorted((a, b) => Number(a === 'prefill') - Number(b === 'prefill'));
  for (const candidate of input.candidates) {
    for (const role of order(rolesOf(candidate))) {
      const ttftOffsetMs = role === 'prefill' ? firstDecodeStepMs : 0;
      const model = roleModel(input, candidate, role, workload, {...targets, ttftMs: targets.ttftMs - ttftOffsetMs});
      const {capacity} = model;
      const excluded = exclusion(input, candidate);
      const feasible = capacity.feasible && excluded === undefined;
      evaluated[role].push({
        candidate,
        role,
        model,
        ttftOffsetMs,
        evaluation: {
          config: candidate.name,
          role,
          gpus_per_engine: candidate.gpusPerEngine,
          feasible,
          capacity_rps_per_engine: capacity.capacityRps,
          capacity_rps_per_gpu: capacity.capacityRps / candidate.gpusPerEngine,
          best_ttft_ms: capacity.bestTtftMs === null ? null : capacity.bestTtftMs + ttftOffsetMs,
          best_itl_ms: capacity.bestItlMs,
          binding: capacity.binding,
          ...(excluded ? {excluded} : {}),
        },
      });
    }
  }
  return evaluated;
}

/**
 * In a disaggregated deployment the client's first token comes from the decode engine's first step on the request,
 * after its prompt's KV arrives: one step of the batch it joins. Decode engines are sized to run up to their
 * capacity, so that step is the mean ITL at capacity of the best decode candidate (0 when none decodes).
 */
function firstDecodeStep(input: SizingInput, workload: PreparedWorkload, targets: Targets): number {
  let best = Infinity;
  for (const candidate of input.candidates) {
    if (!rolesOf(candidate).includes('decode')) continue;
    const model = roleModel(input, candidate, 'decode', workload, targets);
    if (!model.capacity.feasible) continue;
    best = Math.min(best, model.at(model.capacity.capacityRps).meanItlMs ?? Infinity);
  }
  return Number.isFinite(best) ? best : 0;
}

function roleModel(input: SizingInput, candidate: SizingCandidate, role: RoleKind, workload: PreparedWorkload, targets: Targets): RoleModel {
  const {engine} = candidate;
  const limits = {maxNumSeqs: engine.maxNumSeqs, kvCapacityTokens: engine.kvCapacityTokens, maxNumBatchedTokens: engine.maxNumBatchedTokens};
  if (input.method === 'dynamo') {
    if (role === 'prefill') return dynamoPrefillRoleModel(candidate.ttft!, input.workload, targets.ttftMs);
    return dynamoDecodeRoleModel(candidate.itl!, input.workload, limits, targets.itlMs);
  }
  if (role === 'prefill') return prefillRoleModel(candidate.ttft!, workload, targets.ttftMs);
  if (role === 'decode') return decodeRoleModel(candidate.itl!, workload, limits, targets.itlMs);
  return aggregatedRoleModel(candidate.ttft!, candidate.itl!, workload, limits, targets);
}

function exclusion(input: SizingInput, candidate: SizingCandidate): string | undefined {
  const {gpusPerNode, maxGpus} = input.limits;
  if (gpusPerNode !== undefined && candidate.gpusPerEngine > gpusPerNode) return `needs ${candidate.gpusPerEngine} GPUs per engine, more than the ${gpusPerNode} per node`;
  if (maxGpus !== undefined && candidate.gpusPerEngine > maxGpus) return `needs ${candidate.gpusPerEngine} GPUs per engine, more than the budget of ${maxGpus}`;
  return undefined;
}
