// KV-cache capacity as vLLM computes it at startup: the memory left per GPU after weights and the activation
// reserve, cut into blocks of BLOCK_SIZE tokens.

import {badInput} from '../../errors/errors.js';
import type {Dtype} from '../types.js';
import type {AcceleratorEntry, ModelEntry} from './catalog-types.js';
import {kvBytesPerTokenPerGpu, weightBytes} from './model-footprint.js';
import {TP_CANDIDATES, tensorParallelProblem} from './tensor-parallel.js';

/** vLLM's default KV block size in tokens. */
export const BLOCK_SIZE = 16;

const MIB = 2 ** 20;
const GIB = 2 ** 30;

export interface KvCapacityInput {
  model: ModelEntry;
  accelerator: AcceleratorEntry;
  tp: number;
  gpuMemoryUtilization: number;
  kvCacheDtype: Dtype;
  activationReserveGiB: number;
}

export interface KvCapacity {
  /** Memory vLLM may use on one GPU: driver-reported total x gpu_memory_utilization. */
  budgetBytesPerGpu: number;
  weightBytesPerGpu: number;
  kvBytesPerTokenPerGpu: number;
  numGpuBlocks: number;
  blockSize: number;
  kvCapacityTokens: number;
}

export function kvCapacity(input: KvCapacityInput): KvCapacity {
  const {model, accelerator, tp} = input;
  const budgetBytesPerGpu = accelerator.driverMemoryMiB * MIB * input.gpuMemoryUtilization;
  const weightBytesPerGpu = weightBytes(model) / tp;
  const bytesPerToken = kvBytesPerTokenPerGpu(model, tp, input.kvCacheDtype);
  const kvBytes = budgetBytesPerGpu - weightBytesPerGpu - input.activationReserveGiB * GIB;
  const numGpuBlocks = Math.max(0, Math.floor(kvBytes / (bytesPerToken * BLOCK_SIZE)));
  return {
    budgetBytesPerGpu,
    weightBytesPerGpu,
    kvBytesPerTokenPerGpu: bytesPerToken,
    numGpuBlocks,
    blockSize: BLOCK_SIZE,
    kvCapacityTokens: numGpuBlocks * BLOCK_SIZE,
  };
}

/**
 * The capacity, or the error vLLM would stop with at startup: weights leave no room for a KV block, or the KV cache
 * cannot hold one max_model_len sequence. Both errors name the smallest TP that would work.
 */
export function requireKvCapacity(input: KvCapacityInput, maxModelLen: number): KvCapacity {
  const capacity = kvCapacity(input);
  if (capacity.kvCapacityTokens >= maxModelLen) return capacity;
  const {model, accelerator, tp} = input;
  const remedy = smallestFittingTpHint(input, maxModelLen);
  if (capacity.numGpuBlocks === 0) {
    const reserve = input.activationReserveGiB;
    throw badInput(
      `${model.id} needs ${gib(capacity.weightBytesPerGpu)} GiB of weights per GPU at TP ${tp}, but ${accelerator.sku} leaves ` +
        `${gib(capacity.budgetBytesPerGpu - reserve * GIB)} GiB (${gib(accelerator.driverMemoryMiB * MIB)} GiB x gpu_memory_utilization ` +
        `${input.gpuMemoryUtilization} minus a ${reserve} GiB activation reserve).`,
      remedy,
      'E_WEIGHTS_DONT_FIT',
    );
  }
  throw badInput(
    `The KV cache of ${model.id} on ${accelerator.sku} at TP ${tp} holds ${capacity.kvCapacityTokens} tokens, ` +
      `fewer than one max_model_len (${maxModelLen}) sequence.`,
    `Lower --max-model-len to at most ${capacity.kvCapacityTokens} or raise --gpu-memory-utilization. ${remedy}`,
    'E_KV_CACHE_TOO_SMALL',
  );
}

function smallestFittingTpHint(input: KvCapacityInput, maxModelLen: number): string {
  const fitting = TP_CANDIDATES.find(
    (tp) =>
      tensorParallelProblem(input.model, tp) === undefined && kvCapacity({...input, tp}).kvCapacityTokens >= maxModelLen,
  );
  if (fitting !== undefined) return `Use --tp ${fitting}, the smallest tensor-parallel size that fits.`;
  return `No TP of ${TP_CANDIDATES.join(', ')} fits ${input.model.id} with max_model_len ${maxModelLen} on ${input.accelerator.sku}; choose a GPU with more memory, a quantised model or a shorter --max-model-len.`;
}

function gib(bytes: number): string {
  return (bytes / GIB).toFixed(1);
}
