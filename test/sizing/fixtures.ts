import {join} from 'node:path';
import {loadCandidates} from '../../src/sizing/index.js';
import type {SizingCandidate, SizingInput} from '../../src/sizing/index.js';
import {packagePath} from '../../src/util/paths.js';

export const H200_8B_FP8 = packagePath('profiles', 'engines', 'nvidia_llama-3.1-8b-instruct-fp8_h200_sxm_tp1');
export const H100_8B = packagePath('profiles', 'engines', 'meta-llama_llama-3.1-8b-instruct_h100_sxm_tp1');
export const H100_70B_TP4 = packagePath('profiles', 'engines', 'meta-llama_llama-3.1-70b-instruct_h100_sxm_tp4');
export const H100_QWEN32B_TP2 = packagePath('profiles', 'engines', 'qwen_qwen3-32b_h100_sxm_tp2');
export const TRACES = join(packagePath(), '..', 'shared', 'reference', 'traces');

/** An input with Dynamo's documented SLA example (ISL 3000, OSL 150, TTFT 200 ms, ITL 20 ms at p90). */
export function input(candidates: SizingCandidate[], overrides: Partial<SizingInput> & {rate?: number} = {}): SizingInput {
  const {rate = 10, ...rest} = overrides;
  return {
    candidates,
    sla: {ttftMs: 200, itlMs: 20, percentile: 'p90'},
    workload: {isl: 3000, osl: 150, requestRate: rate},
    limits: {minReplicas: 1},
    mode: 'auto',
    method: 'dynamo-plan',
    ...rest,
  };
}

export function candidatesOf(...dirs: string[]): SizingCandidate[] {
  return loadCandidates(dirs);
}

/**
 * A made-up TP2 twin of a TP1 candidate: prefill 1.8x faster and decode steps 1.5x faster on twice the GPUs (tensor
 * parallelism never scales perfectly). Lets tests exercise the choice between configs of one model.
 */
export function tp2Twin(tp1: SizingCandidate): SizingCandidate {
  return {
    ...tp1,
    name: tp1.name.replace('tp1', 'tp2'),
    gpusPerEngine: 2,
    engine: {...tp1.engine, tp: 2, gpusPerEngine: 2, kvCapacityTokens: tp1.engine.kvCapacityTokens! * 2.5},
    ttft: {...tp1.ttft!, coefficients: tp1.ttft!.coefficients.map((c) => c / 1.8)},
    itl: {...tp1.itl!, coefficients: tp1.itl!.coefficients.map((c) => c / 1.5)},
  };
}
