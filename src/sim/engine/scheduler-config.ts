// The scheduler configuration of one engine, from its resolved spec and vLLM's launch knobs: shared by the served
// simulator and the virtual-time fleet so both run engines with the same defaults.
import type {EngineSpec} from '../cost/index.js';
import type {SchedulerConfig} from '../scheduler/index.js';
import type {EngineRole} from '../types.js';

/** vLLM's scheduler flags; each left out takes vLLM V1's default for the engine's GPU. */
export interface SchedulerKnobs {
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
  enablePrefixCaching?: boolean;
}

/** GPUs with at least this much memory get vLLM's larger OpenAI-server defaults. */
const LARGE_GPU_MIB = 70 * 1024;

export function engineSchedulerConfig(spec: EngineSpec, role: EngineRole, knobs: SchedulerKnobs = {}): SchedulerConfig {
  // vLLM V1's defaults for the OpenAI API server depend on the GPU's memory.
  const largeGpu = spec.accelerator.driverMemoryMiB >= LARGE_GPU_MIB;
  return {
    maxNumSeqs: knobs.maxNumSeqs ?? (largeGpu ? 1024 : 256),
    maxNumBatchedTokens: knobs.maxNumBatchedTokens ?? (largeGpu ? 8192 : 2048),
    blockSize: spec.blockSize,
    numGpuBlocks: spec.numGpuBlocks,
    maxModelLen: spec.maxModelLen,
    enablePrefixCaching: knobs.enablePrefixCaching ?? true,
    role,
  };
}
