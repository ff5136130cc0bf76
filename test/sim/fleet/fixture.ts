import {fileURLToPath} from 'node:url';
import {createStepCostModel, resolveEngineSpec, type EngineSpec} from '../../../src/sim/cost/index.js';
import type {FleetRequest} from '../../../src/sim/fleet/index.js';
import type {StepShape} from '../../../src/sim/types.js';

export const traces = fileURLToPath(new URL('../../../../shared/reference/traces/', import.meta.url));

/** The fleet the issue benchmarks: Llama-3.1-8B on H100 SXM, one GPU per engine. */
export const spec: EngineSpec = resolveEngineSpec({model: 'meta-llama/Llama-3.1-8B-Instruct', gpu: 'h100_sxm', tp: 1});
export const specTp2: EngineSpec = resolveEngineSpec({model: 'meta-llama/Llama-3.1-8B-Instruct', gpu: 'h100_sxm', tp: 2});

const costModel = createStepCostModel(spec);
const noWork: StepShape = {prefillTokens: 0, prefillSeqs: 0, prefillAttention: 0, prefillKvTokens: 0, decodeSeqs: 0, decodeKvTokens: 0};

/** One step prefilling a whole `isl`-token prompt from scratch, alone in the batch. */
export function prefillStepS(isl: number): number {
  return costModel.stepSeconds({...noWork, prefillTokens: isl, prefillSeqs: 1, prefillAttention: isl * (isl / 2)});
}

/** One decode step of a single sequence attending to `context` tokens. */
export function decodeStepS(context: number): number {
  return costModel.stepSeconds({...noWork, decodeSeqs: 1, decodeKvTokens: context});
}

/** `n` identical requests, `gapS` apart from `startS`. */
export function evenRequests(n: number, gapS: number, isl: number, osl: number, startS = 0): FleetRequest[] {
  return Array.from({length: n}, (_, i) => ({atS: startS + i * gapS, isl, osl}));
}
