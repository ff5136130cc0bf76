import {describe, expect, it} from 'vitest';
import {decodeTokensPerSecondPerGpu, itlAt, type ItlModel, maxBatchForItl, prefillTokensPerSecondPerGpu, ttftAt, type TtftModel} from '../../src/fit/index.js';

const QUALITY = {r2: 1, mape: 0, maxApe: 0, cvMape: 0, cvMaxApe: 0, points: 12};
// ITL = 5 + 0.05 n + 1e-5 n ctx (ms): at ctx 1000 that is 5 + 0.06 n.
const itl: ItlModel = {form: 'itl-batch-kv', features: ['1', 'n', 'n*ctx'], coefficients: [5, 0.05, 1e-5], quality: QUALITY};
// TTFT = 20 + 0.02 isl (ms).
const ttft: TtftModel = {form: 'ttft-linear', features: ['1', 'isl'], coefficients: [20, 0.02], quality: QUALITY};

function bruteForceMaxBatch(target: number, ctx: number, maxBatch: number): number {
  let best = 0;
  for (let n = 1; n <= maxBatch; n++) if (itlAt(itl, n, ctx) <= target) best = n;
  return best;
}

describe('derived quantities', () => {
  it('predicts from the coefficients', () => {
    expect(ttftAt(ttft, 1000)).toBeCloseTo(40, 12);
    expect(itlAt(itl, 100, 1000)).toBeCloseTo(11, 12);
  });

  it('prefill tokens per second per GPU is isl / TTFT, shared across the engine\'s GPUs', () => {
    // 4000 tokens in 100 ms is 40000 tokens/s; over 2 GPUs, 20000 each.
    expect(prefillTokensPerSecondPerGpu(ttft, 4000, 2)).toBeCloseTo(20000, 9);
  });

  it('decode tokens per second per GPU is n / ITL, shared across the engine\'s GPUs', () => {
    // 100 sequences each emitting a token every 11 ms on 4 GPUs.
    expect(decodeTokensPerSecondPerGpu(itl, 100, 1000, 4)).toBeCloseTo(100 / 0.011 / 4, 6);
  });

  it('finds the largest batch meeting the ITL target', () => {
    expect(maxBatchForItl(itl, 20.03, 1000, 4096)).toBe(250); // 5 + 0.06 * 250 = 20; 251 gives 20.06
    expect(maxBatchForItl(itl, 20.03, 1000, 100)).toBe(100); // capped by the engine's batch limit
    expect(maxBatchForItl(itl, 5.01, 1000, 4096)).toBe(0); // one sequence already takes 5.06 ms
  });

  it('agrees with a linear scan and is monotone: a looser target or a shorter context never shrinks the batch', () => {
    let previous = 0;
    for (let target = 5; target <= 60; target += 0.37) {
      const batch = maxBatchForItl(itl, target, 3000, 1024);
      expect(batch).toBe(bruteForceMaxBatch(target, 3000, 1024));
      expect(batch).toBeGreaterThanOrEqual(previous);
      previous = batch;
    }
    const byContext = [500, 1000, 4000, 16000].map((ctx) => maxBatchForItl(itl, 30, ctx, 4096));
    expect(byContext).toEqual(byContext.toSorted((a, b) => b - a));
    expect(new Set(byContext).size).toBe(byContext.length);
  });
});
