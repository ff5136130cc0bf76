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
  for (const candidate of input.candidates) {
    for (const role of rolesOf(candidate)) {
      const model = roleModel(input, candidate, role, workload, targets);
      const {capacity} = model;
      const excluded = exclusion(input, candidate);
      const feasible = capacity.feasible && excluded === undefined;
      evaluated[role].push({
        candidate,
        role,
        model,
        evaluation: {
          config: candidate.name,
          role,
          gpus_per_engine: candidate.gpusPerEngine,
          feasible,
          capacity_rps_per_engine: capacity.capacityRps,
          capacity_rps_per_gpu: capacity.capacityRps / candidate.gpusPerEngine,
          best_ttft_ms: capacity.bestTtftMs,
          best_itl_ms: capacity.bestItlMs,
          binding: capacity.binding,
          ...(excluded ? {excluded} : {}),
        },
      });
    }
  }
  return evaluated;
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
