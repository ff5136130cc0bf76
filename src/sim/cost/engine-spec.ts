// Turns vLLM-style flags (model, GPU, TP, memory utilisation, KV dtype, max model len) into the fully resolved
// description of one engine that the cost model and the simulator's scheduler run from.

import {badInput} from '../../errors/errors.js';
import type {Dtype} from '../types.js';
import type {AcceleratorEntry, EfficiencyParameters, ModelEntry} from './catalog-types.js';
import {findAccelerator, findModel, loadCatalog} from './catalog.js';
import {DEFAULT_DEPLOYMENT, DEPLOYMENT_PRESETS, type DeploymentOptions, type DeploymentPresetName} from './deployments.js';
import {requireKvCapacity} from './kv-capacity.js';
import {checkTensorParallel} from './tensor-parallel.js';

export type KvCacheDtypeOption = 'auto' | Dtype;

export interface EngineSpecOptions {
  model: string;
  gpu: string;
  tp: number;
  /** Default 0.9, as vLLM. */
  gpuMemoryUtilization?: number;
  /** Default 'auto': the 16-bit activation type, also for FP8-weight checkpoints (as vLLM). */
  kvCacheDtype?: KvCacheDtypeOption;
  /** Default: the model's maximum context. */
  maxModelLen?: number;
  /** A JSON or YAML file of extra or overriding catalog entries (schemas/catalog.schema.json). */
  catalogFile?: string;
  deployment?: DeploymentOptions;
}

/** Plain data (serialisable into reports); createStepCostModel(spec) gives its step-time model. */
export interface EngineSpec {
  model: ModelEntry;
  accelerator: AcceleratorEntry;
  tp: number;
  deployment: DeploymentPresetName;
  gpuMemoryUtilization: number;
  kvCacheDtype: Dtype;
  maxModelLen: number;
  blockSize: number;
  numGpuBlocks: number;
  kvCapacityTokens: number;
  weightBytesPerGpu: number;
  kvBytesPerTokenPerGpu: number;
  /** The GPU's parameters with the deployment's overrides applied. */
  efficiency: EfficiencyParameters;
  /** Per-request frontend cost (HTTP, tokenisation, routing), added to TTFT by the server. */
  requestOverheadSeconds: number;
}

const FRACTION_PARAMETERS = new Set<keyof EfficiencyParameters>(['mfu', 'attentionEfficiency', 'mbu', 'linkEfficiency']);

export function resolveEngineSpec(options: EngineSpecOptions): EngineSpec {
  const catalog = loadCatalog(options.catalogFile);
  const model = findModel(catalog, options.model);
  const accelerator = findAccelerator(catalog, options.gpu);
  checkTensorParallel(model, options.tp);
  const gpuMemoryUtilization = options.gpuMemoryUtilization ?? 0.9;
  if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
    throw badInput(`gpu_memory_utilization must be in (0, 1], got ${gpuMemoryUtilization}.`, 'vLLM uses 0.9 by default.', 'E_BAD_OPTION');
  }
  const maxModelLen = resolveMaxModelLen(model, options.maxModelLen);
  const {preset, requestOverheadSeconds, ...overrides} = options.deployment ?? {};
  const deployment = resolvePreset(preset);
  const efficiency = {...accelerator.efficiency, ...checkedOverrides(overrides, accelerator.efficiency)};
  const kvCacheDtype = resolveKvCacheDtype(model, options.kvCacheDtype ?? 'auto');
  const capacity = requireKvCapacity(
    {model, accelerator, tp: options.tp, gpuMemoryUtilization, kvCacheDtype, activationReserveGiB: efficiency.activationReserveGiB},
    maxModelLen,
  );
  return {
    model,
    accelerator,
    tp: options.tp,
    deployment,
    gpuMemoryUtilization,
    kvCacheDtype,
    maxModelLen,
    blockSize: capacity.blockSize,
    numGpuBlocks: capacity.numGpuBlocks,
    kvCapacityTokens: capacity.kvCapacityTokens,
    weightBytesPerGpu: capacity.weightBytesPerGpu,
    kvBytesPerTokenPerGpu: capacity.kvBytesPerTokenPerGpu,
    efficiency,
    requestOverheadSeconds: nonNegative('requestOverheadSeconds', requestOverheadSeconds ?? DEPLOYMENT_PRESETS[deployment].requestOverheadSeconds),
  };
}

// vLLM stores KV in the activation type unless told otherwise; FP8-weight checkpoints still compute in BF16.
function resolveKvCacheDtype(model: ModelEntry, option: KvCacheDtypeOption): Dtype {
  if (option === 'auto') return model.weightDtype === 'fp16' ? 'fp16' : 'bf16';
  if (option === 'bf16' || option === 'fp16' || option === 'fp8') return option;
  throw badInput(`Unknown KV cache dtype "${String(option)}".`, 'Use auto, bf16, fp16 or fp8.', 'E_BAD_OPTION');
}

function resolveMaxModelLen(model: ModelEntry, requested: number | undefined): number {
  if (requested === undefined) return model.maxContext;
  if (!Number.isInteger(requested) || requested < 1 || requested > model.maxContext) {
    throw badInput(
      `max_model_len ${requested} is outside 1..${model.maxContext}, the maximum context of ${model.id}.`,
      `Pass a whole number of tokens up to ${model.maxContext}.`,
      'E_BAD_OPTION',
    );
  }
  return requested;
}

function resolvePreset(preset: string | undefined): DeploymentPresetName {
  if (preset === undefined) return DEFAULT_DEPLOYMENT;
  if (Object.hasOwn(DEPLOYMENT_PRESETS, preset)) return preset as DeploymentPresetName;
  throw badInput(
    `Unknown deployment preset "${preset}". Known presets: ${Object.keys(DEPLOYMENT_PRESETS).join(', ')}.`,
    'Use vllm for a plain vLLM server or dynamo for a Dynamo frontend in front of it.',
    'E_BAD_OPTION',
  );
}

function checkedOverrides(overrides: Partial<EfficiencyParameters>, known: EfficiencyParameters): Partial<EfficiencyParameters> {
  for (const [name, value] of Object.entries(overrides) as [keyof EfficiencyParameters, number | undefined][]) {
    if (!Object.hasOwn(known, name)) {
      throw badInput(`Unknown deployment override "${name}".`, `Known: requestOverheadSeconds, ${Object.keys(known).join(', ')}.`, 'E_BAD_OPTION');
    }
    if (value === undefined) continue;
    if (FRACTION_PARAMETERS.has(name) && !(value > 0 && value <= 1)) {
      throw badInput(`Deployment override ${name} must be a fraction in (0, 1], got ${value}.`, 'Efficiencies are shares of the hardware peak.', 'E_BAD_OPTION');
    }
    nonNegative(name, value);
  }
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}

function nonNegative(name: string, value: number): number {
  if (Number.isFinite(value) && value >= 0) return value;
  throw badInput(`Deployment override ${name} must be a finite number >= 0, got ${value}.`, 'Overheads are in seconds and reserves in GiB.', 'E_BAD_OPTION');
}
