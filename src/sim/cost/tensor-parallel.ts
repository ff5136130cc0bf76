// Which tensor-parallel sizes vLLM accepts for a model: attention heads split evenly across GPUs, and KV heads either
// split evenly or (when TP exceeds them) replicate evenly.

import {badInput} from '../../errors/errors.js';
import type {ModelEntry} from './catalog-types.js';

/** The sizes suggested in hints and searched when the requested TP does not fit: one 8-GPU node's worth. */
export const TP_CANDIDATES: readonly number[] = [1, 2, 4, 8];

export function tensorParallelProblem(model: ModelEntry, tp: number): string | undefined {
  if (!Number.isInteger(tp) || tp < 1) return `TP must be a positive whole number, got ${tp}`;
  if (model.heads % tp !== 0) return `TP ${tp} does not divide the ${model.heads} attention heads of ${model.id}`;
  if (model.kvHeads % tp !== 0 && tp % model.kvHeads !== 0) {
    return `TP ${tp} neither divides nor is a multiple of the ${model.kvHeads} KV heads of ${model.id}`;
  }
  return undefined;
}

export function checkTensorParallel(model: ModelEntry, tp: number): void {
  const problem = tensorParallelProblem(model, tp);
  if (problem === undefined) return;
  const valid = TP_CANDIDATES.filter((candidate) => tensorParallelProblem(model, candidate) === undefined);
  throw badInput(
    `${problem}; vLLM requires num_attention_heads % tp == 0 and KV heads that split or replicate evenly.`,
    `Use --tp ${valid.join(', ')}.`,
    'E_BAD_TP',
  );
}
