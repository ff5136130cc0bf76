import {describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../../src/errors/errors.js';
import {DEPLOYMENT_PRESETS, kvCapacity, loadCatalog, resolveEngineSpec, type EngineSpecOptions} from '../../../src/sim/cost/index.js';
import {kvBytesPerTokenPerGpu, weightBytes} from '../../../src/sim/cost/model-footprint.js';

function failure(options: EngineSpecOptions): DynamoPlanError {
  try {
    resolveEngineSpec(options);
  } catch (error) {
    expect(error).toBeInstanceOf(DynamoPlanError);
    expect((error as DynamoPlanError).exitCode).toBe(3);
    return error as DynamoPlanError;
  }
  throw new Error(`expected ${JSON.stringify(options)} to fail`);
}

const FP8_LLAMA = 'nvidia/Llama-3.1-8B-Instruct-FP8';
const LLAMA_70B = 'meta-llama/Llama-3.1-70B-Instruct';

describe('model footprint', () => {
  // The "KV bytes/token (bf16)" column of the reference hardware-and-models table.
  it.each([
    ['Qwen/Qwen3-0.6B', 114_688],
    ['meta-llama/Llama-3.1-8B-Instruct', 131_072],
    ['Qwen/Qwen3-8B', 147_456],
    ['Qwen/Qwen3-32B', 262_144],
    [LLAMA_70B, 327_680],
    ['Qwen/Qwen3-30B-A3B', 98_304],
  ])('%s stores %i KV bytes per token in bf16', (id, bytes) => {
    const model = loadCatalog().models.get(id);
    expect(model && kvBytesPerTokenPerGpu(model, 1, 'bf16')).toBe(bytes);
  });

  it('keeps embeddings in 16-bit for FP8 checkpoints: 8B FP8 weighs ~9.08 GB, not 8.03', () => {
    const model = loadCatalog().models.get(FP8_LLAMA);
    expect(model && weightBytes(model) / 1e9).toBeCloseTo(9.08, 2);
  });
});

describe('resolveEngineSpec errors', () => {
  it('lists the known models and the --catalog escape hatch for an unknown model', () => {
    const error = failure({model: 'acme/unknown', gpu: 'h100_sxm', tp: 1});
    expect(error.code).toBe('E_UNKNOWN_MODEL');
    expect(error.message).toContain('Qwen/Qwen3-8B');
    expect(error.message).toContain(FP8_LLAMA);
    expect(error.hint).toContain('--catalog FILE');
  });

  it('lists the known GPUs for an unknown GPU', () => {
    const error = failure({model: FP8_LLAMA, gpu: 'tpu_v5', tp: 1});
    expect(error.code).toBe('E_UNKNOWN_GPU');
    expect(error.message).toContain('h200_sxm, a100_sxm');
    expect(error.hint).toContain('--catalog FILE');
  });

  it('rejects a TP that does not divide the attention heads and names the valid ones', () => {
    const error = failure({model: FP8_LLAMA, gpu: 'h100_sxm', tp: 3});
    expect(error.code).toBe('E_BAD_TP');
    expect(error.message).toContain('32 attention heads');
    expect(error.hint).toBe('Use --tp 1, 2, 4, 8.');
    expect(failure({model: FP8_LLAMA, gpu: 'h100_sxm', tp: 0}).code).toBe('E_BAD_TP');
  });

  it('accepts TP above the KV head count by replicating KV heads (vLLM does)', () => {
    const spec = resolveEngineSpec({model: 'Qwen/Qwen3-30B-A3B', gpu: 'h100_sxm', tp: 8});
    expect(spec.kvBytesPerTokenPerGpu).toBe(98_304 / 4);
  });

  it('names the smallest TP that fits when the weights do not fit', () => {
    const onA100 = failure({model: LLAMA_70B, gpu: 'a100_sxm', tp: 1});
    expect(onA100.code).toBe('E_WEIGHTS_DONT_FIT');
    expect(onA100.message).toMatch(/needs 131\.4 GiB of weights per GPU at TP 1/);
    expect(onA100.hint).toContain('--tp 4');
    expect(resolveEngineSpec({model: LLAMA_70B, gpu: 'a100_sxm', tp: 4}).kvCapacityTokens).toBeGreaterThan(131_072);
  });

  it('says when no TP up to 8 fits on the GPU', () => {
    const onL4 = failure({model: LLAMA_70B, gpu: 'l4', tp: 1});
    expect(onL4.code).toBe('E_WEIGHTS_DONT_FIT');
    expect(onL4.hint).toContain('No TP of 1, 2, 4, 8 fits');
  });

  it('stops like vLLM when the KV cache cannot hold one max_model_len sequence', () => {
    const error = failure({model: 'meta-llama/Llama-3.1-8B-Instruct', gpu: 'l4', tp: 1});
    expect(error.code).toBe('E_KV_CACHE_TOO_SMALL');
    expect(error.hint).toMatch(/Lower --max-model-len to at most \d+/);
    expect(resolveEngineSpec({model: 'meta-llama/Llama-3.1-8B-Instruct', gpu: 'l4', tp: 1, maxModelLen: 8192}).maxModelLen).toBe(8192);
  });

  it('rejects out-of-range options and unknown deployment settings', () => {
    expect(failure({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1, gpuMemoryUtilization: 1.2}).code).toBe('E_BAD_OPTION');
    expect(failure({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1, maxModelLen: 200_000}).message).toContain('131072');
    expect(failure({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1, deployment: {mfu: 1.5}}).message).toContain('mfu');
    expect(failure({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1, deployment: {requestOverheadSeconds: -1}}).code).toBe('E_BAD_OPTION');
    const preset = failure({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1, deployment: {preset: 'sglang' as 'vllm'}});
    expect(preset.message).toContain('vllm, dynamo');
    expect(failure({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1, kvCacheDtype: 'int4' as 'fp8'}).hint).toContain('auto, bf16');
    const typo = failure({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1, deployment: {mfuu: 0.5} as unknown as EngineSpecOptions['deployment']});
    expect(typo.message).toContain('mfuu');
  });
});

describe('resolveEngineSpec', () => {
  it('reproduces the profiled H200 KV capacity (945029 tokens) within 0.5%', () => {
    const spec = resolveEngineSpec({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1});
    expect(spec.blockSize).toBe(16);
    expect(spec.kvCapacityTokens).toBe(spec.numGpuBlocks * 16);
    expect(Math.abs(spec.kvCapacityTokens / 945_029 - 1)).toBeLessThan(0.005);
  });

  it('stores KV in bf16 by default, also for FP8 weights, and fp8 KV roughly doubles the capacity', () => {
    const auto = resolveEngineSpec({model: FP8_LLAMA, gpu: 'h100_sxm', tp: 1});
    const fp8 = resolveEngineSpec({model: FP8_LLAMA, gpu: 'h100_sxm', tp: 1, kvCacheDtype: 'fp8'});
    expect(auto.kvCacheDtype).toBe('bf16');
    expect(fp8.numGpuBlocks / auto.numGpuBlocks).toBeCloseTo(2, 2);
  });

  it('grows KV capacity with TP and with gpu_memory_utilization', () => {
    const capacities = [1, 2, 4, 8].map((tp) => resolveEngineSpec({model: 'Qwen/Qwen3-32B', gpu: 'h100_sxm', tp, maxModelLen: 8192}).kvCapacityTokens);
    for (let i = 1; i < capacities.length; i++) expect(capacities[i]).toBeGreaterThan(capacities[i - 1] ?? Infinity);
    const byUtilisation = [0.5, 0.7, 0.9, 0.95].map(
      (gpuMemoryUtilization) => resolveEngineSpec({model: 'Qwen/Qwen3-8B', gpu: 'h100_sxm', tp: 1, gpuMemoryUtilization}).kvCapacityTokens,
    );
    for (let i = 1; i < byUtilisation.length; i++) expect(byUtilisation[i]).toBeGreaterThan(byUtilisation[i - 1] ?? Infinity);
  });

  it('reports zero blocks, not negative ones, when weights overflow memory', () => {
    const catalog = loadCatalog();
    const model = catalog.models.get(LLAMA_70B);
    const accelerator = catalog.accelerators.get('l4');
    if (!model || !accelerator) throw new Error('catalog lacks test entries');
    const capacity = kvCapacity({model, accelerator, tp: 1, gpuMemoryUtilization: 0.9, kvCacheDtype: 'bf16', activationReserveGiB: 1});
    expect(capacity.numGpuBlocks).toBe(0);
  });

  it('takes the request overhead from the deployment preset and applies per-deployment overrides', () => {
    const vllm = resolveEngineSpec({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1});
    const dynamo = resolveEngineSpec({model: FP8_LLAMA, gpu: 'h200_sxm', tp: 1, deployment: {preset: 'dynamo'}});
    expect(vllm.deployment).toBe('vllm');
    expect(dynamo.requestOverheadSeconds).toBe(DEPLOYMENT_PRESETS.dynamo.requestOverheadSeconds);
    expect(dynamo.requestOverheadSeconds).toBeGreaterThan(vllm.requestOverheadSeconds);
    const tuned = resolveEngineSpec({
      model: FP8_LLAMA,
      gpu: 'h200_sxm',
      tp: 1,
      deployment: {preset: 'dynamo', mbu: 0.5, requestOverheadSeconds: 0.001, activationReserveGiB: 10},
    });
    expect(tuned.efficiency.mbu).toBe(0.5);
    expect(tuned.efficiency.mfu).toBe(vllm.efficiency.mfu);
    expect(tuned.requestOverheadSeconds).toBe(0.001);
    expect(tuned.kvCapacityTokens).toBeLessThan(dynamo.kvCapacityTokens);
  });
});
