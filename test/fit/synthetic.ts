// Noiseless (or deterministically perturbed) measurements from known models, for checking what the fits recover.
import type {DecodePoint, PrefillPoint} from '../../src/fit/index.js';

export const SWEEP_ISLS = [128, 512, 1024, 2048, 3072, 4096, 6144, 8192, 10240, 12288, 14336, 16384];
export const SWEEP_CONTEXTS = [512, 2048, 4096, 8192];
export const SWEEP_BATCHES = [1, 8, 32, 64, 128, 256];

/** A repeatable +-amplitude relative wobble, different at every index (stands in for measurement noise). */
export function wobble(index: number, amplitude: number): number {
  return 1 + amplitude * Math.sin(index * 2.3 + 0.7);
}

export function prefillPoints(ttft: (isl: number) => number, noise = 0): PrefillPoint[] {
  return SWEEP_ISLS.map((isl, i) => ({isl, ttftMs: ttft(isl) * wobble(i, noise)}));
}

export function decodePoints(itl: (n: number, ctx: number) => number, noise = 0): DecodePoint[] {
  return SWEEP_CONTEXTS.flatMap((context) => SWEEP_BATCHES.map((concurrency) => ({concurrency, context}))).map((point, i) => ({
    ...point,
    itlMs: itl(point.concurrency, point.context) * wobble(i, noise),
  }));
}
