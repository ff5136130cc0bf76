// What sizing reads off the fits: per-GPU token rates and the largest batch that meets an ITL target.
import type {ItlModel} from './fit-itl.js';
import type {TtftModel} from './fit-ttft.js';
import {itlAt, ttftAt} from './predict.js';

/** Prompt tokens per second per GPU while prefilling `isl`-token requests back to back on `gpus` GPUs. */
export function prefillTokensPerSecondPerGpu(model: TtftModel, isl: number, gpus: number): number {
  return ((isl / ttftAt(model, isl)) * 1000) / gpus;
}

/** Output tokens per second per GPU with `n` sequences of `ctx` tokens decoding on `gpus` GPUs. */
export function decodeTokensPerSecondPerGpu(model: ItlModel, n: number, ctx: number, gpus: number): number {
  return ((n / itlAt(model, n, ctx)) * 1000) / gpus;
}

/**
 * The largest batch n in 1..maxBatch whose predicted ITL at `ctx` is within `targetItlMs`, or 0 if even one sequence
 * misses it. Binary search assumes ITL rises with n; fitting guarantees that across the measured batches only.
 */
export function maxBatchForItl(model: ItlModel, targetItlMs: number, ctx: number, maxBatch: number): number {
  let meets = 0;
  let misses = Math.floor(maxBatch) + 1;
  while (misses - meets > 1) {
    const n = Math.floor((meets + misses) / 2);
    if (itlAt(model, n, ctx) <= targetItlMs) meets = n;
    else misses = n;
  }
  return meets;
}
