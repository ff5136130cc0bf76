import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {DynamoDecodeRawData, DynamoPrefillRawData} from '../../src/profile/dynamo-files.js';
import type {ManifestInput} from '../../src/manifest/index.js';
import {fixtureDecodeJson, fixturePrefillJson} from '../profile/fixture.js';

/** The upstream CRDs beside the clone, as published by ai-dynamo/dynamo at 2a6da14. */
export const crdDir = fileURLToPath(new URL('../../../shared/reference/crds/', import.meta.url));

/** The real Dynamo profile (Llama-3.1-8B FP8 on one H200) in its ConfigMap JSON form. */
export const realProfile = {
  prefill: JSON.parse(readFileSync(fixturePrefillJson, 'utf8')) as DynamoPrefillRawData,
  decode: JSON.parse(readFileSync(fixtureDecodeJson, 'utf8')) as DynamoDecodeRawData,
};

/** A disaggregated Llama-3.1-8B deployment on H200s: 3 TP1 prefill engines, 2 TP2 decode engines. */
export function disaggInput(overrides: Partial<ManifestInput> = {}): ManifestInput {
  return {
    name: 'llama-8b',
    namespace: 'serving',
    model: 'nvidia/Llama-3.1-8B-Instruct-FP8',
    backend: 'vllm',
    image: 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.4.0',
    gpuSku: 'h200_sxm',
    gpusPerNode: 8,
    workload: {isl: 4000, osl: 1000, requestRate: 10},
    sla: {ttftMs: 500, itlMs: 30},
    mode: 'disagg',
    workers: [
      {role: 'prefill', tp: 1, gpusPerEngine: 1, replicas: 3, maxNumBatchedTokens: 8192},
      {role: 'decode', tp: 2, gpusPerEngine: 2, replicas: 2, maxNumSeqs: 256},
    ],
    ...overrides,
  };
}

/** The same model aggregated: 4 TP1 engines at a stated concurrency. */
export function aggInput(overrides: Partial<ManifestInput> = {}): ManifestInput {
  return disaggInput({
    mode: 'agg',
    workload: {isl: 2048, osl: 256, concurrency: 64},
    workers: [{role: 'agg', tp: 1, gpusPerEngine: 1, replicas: 4, maxNumSeqs: 128, maxNumBatchedTokens: 4096}],
    ...overrides,
  });
}

export const plannerSettings = {optimization_target: 'sla', ttft_ms: 500, itl_ms: 30, min_endpoint: 1, max_gpu_budget: 16} as const;
