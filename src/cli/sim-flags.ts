import {Flags} from '@oclif/core';
import type {SimulatorOptions} from '../sim/simulator.js';
import {float} from './number-flags.js';

/** Flags that describe a simulated engine, shared by every command that starts one. */
export const simulatorFlags = {
  model: Flags.string({description: 'Model id from the catalog (see the error for the list, or add one with --catalog).', default: 'nvidia/Llama-3.1-8B-Instruct-FP8', helpGroup: 'ENGINE'}),
  gpu: Flags.string({description: 'Accelerator SKU (DGDR hardware.gpuSku), e.g. h100_sxm, h200_sxm, a100_sxm, l40s.', default: 'h200_sxm', helpGroup: 'ENGINE'}),
  tp: Flags.integer({description: 'Tensor-parallel degree (GPUs per engine).', default: 1, min: 1, helpGroup: 'ENGINE'}),
  role: Flags.string({description: 'Engine role: agg serves whole requests; prefill returns after the first token; decode skips prefill (KV arrives by transfer).', options: ['agg', 'prefill', 'decode'], default: 'agg', helpGroup: 'ENGINE'}),
  'served-model-name': Flags.string({description: 'Model name clients send and /v1/models lists (default: --model).', helpGroup: 'ENGINE'}),
  'max-num-seqs': Flags.integer({description: 'Most sequences in a batch (vLLM default: 1024 on GPUs with >= 70 GiB, else 256).', min: 1, helpGroup: 'ENGINE'}),
  'max-num-batched-tokens': Flags.integer({description: 'Token budget per engine step for chunked prefill (vLLM default: 8192 on >= 70 GiB GPUs, else 2048).', min: 1, helpGroup: 'ENGINE'}),
  'max-model-len': Flags.integer({description: 'Longest prompt + output in tokens (default: the model\'s context length, capped by what the KV cache holds).', min: 16, helpGroup: 'ENGINE'}),
  'gpu-memory-utilization': float({description: 'Share of GPU memory the engine may use (weights + KV cache).', default: 0.9, min: 0.05, max: 1, helpGroup: 'ENGINE'}),
  'kv-cache-dtype': Flags.string({description: 'KV cache element type; auto follows the model (bf16 even for FP8 checkpoints, as vLLM).', options: ['auto', 'bf16', 'fp16', 'fp8'], default: 'auto', helpGroup: 'ENGINE'}),
  'enable-prefix-caching': Flags.boolean({description: 'Reuse KV blocks of shared prompt prefixes (vLLM V1 default: on).', default: true, allowNo: true, helpGroup: 'ENGINE'}),
  deployment: Flags.string({description: 'Serving stack whose per-request overhead to add: vllm (plain vLLM API server) or dynamo (Dynamo frontend in front).', default: 'vllm', helpGroup: 'ENGINE'}),
  catalog: Flags.string({description: 'Extra catalog file (JSON or YAML) with `accelerators` and/or `models` entries, added to or overriding the shipped ones.', helpGroup: 'ENGINE'}),
  seed: Flags.integer({description: 'Seed for synthetic outputs, natural output lengths and injected faults.', default: 0, helpGroup: 'ENGINE'}),
  'mean-output-tokens': Flags.integer({description: 'Mean length of a natural (EOS-ended) output when a request does not set ignore_eos.', default: 256, min: 1, helpGroup: 'ENGINE'}),
  'startup-delay': float({description: 'Fault: seconds before the engine is ready (/health answers 503 until then).', default: 0, min: 0, helpGroup: 'FAULTS'}),
  'fault-error-rate': float({description: 'Fault: share of requests refused with HTTP 500.', default: 0, min: 0, max: 1, helpGroup: 'FAULTS'}),
  'fault-inband-error-rate': float({description: 'Fault: share of streams ended by an in-band {"error": ...} event under HTTP 200.', default: 0, min: 0, max: 1, helpGroup: 'FAULTS'}),
  'fault-abort-rate': float({description: 'Fault: share of streams whose connection is cut mid-stream.', default: 0, min: 0, max: 1, helpGroup: 'FAULTS'}),
  'fault-stall-rate': float({description: 'Fault: share of streams that pause once for --fault-stall-ms.', default: 0, min: 0, max: 1, helpGroup: 'FAULTS'}),
  'fault-stall-ms': Flags.integer({description: 'Fault: length of an injected stall in milliseconds.', default: 2000, min: 0, helpGroup: 'FAULTS'}),
};

export function simulatorOptionsFromFlags(flags: Record<string, unknown>): Omit<SimulatorOptions, 'host' | 'port'> {
  return {
    model: flags.model as string,
    gpu: flags.gpu as string,
    tp: flags.tp as number,
    role: flags.role as SimulatorOptions['role'],
    servedModelName: flags['served-model-name'] as string | undefined,
    maxNumSeqs: flags['max-num-seqs'] as number | undefined,
    maxNumBatchedTokens: flags['max-num-batched-tokens'] as number | undefined,
    maxModelLen: flags['max-model-len'] as number | undefined,
    gpuMemoryUtilization: flags['gpu-memory-utilization'] as number,
    kvCacheDtype: flags['kv-cache-dtype'] as SimulatorOptions['kvCacheDtype'],
    enablePrefixCaching: flags['enable-prefix-caching'] as boolean,
    deployment: flags.deployment as string,
    catalogFile: flags.catalog as string | undefined,
    seed: flags.seed as number,
    meanOutputTokens: flags['mean-output-tokens'] as number,
    faults: {
      startupDelayS: flags['startup-delay'] as number,
      errorRate: flags['fault-error-rate'] as number,
      inBandErrorRate: flags['fault-inband-error-rate'] as number,
      abortRate: flags['fault-abort-rate'] as number,
      stallRate: flags['fault-stall-rate'] as number,
      stallMs: flags['fault-stall-ms'] as number,
    },
  };
}
