import {describe, expect, it} from 'vitest';
import {fitItl, fitTtft} from '../../src/fit/index.js';
import {decodePoints, prefillPoints} from './synthetic.js';

function expectCoefficients(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!) / Math.abs(expected[i]!)).toBeLessThan(1e-6));
}

describe('noiseless data recovers the generating form and its coefficients', () => {
  it('ttft-linear', () => {
    const {model} = fitTtft(prefillPoints((isl) => 12 + 0.02 * isl));
    expect(model.form).toBe('ttft-linear');
    expect(model.features).toEqual(['1', 'isl']);
    expectCoefficients(model.coefficients, [12, 0.02]);
    expect(model.quality.cvMape).toBeLessThan(1e-6);
  });

  it('ttft-quadratic', () => {
    const {model} = fitTtft(prefillPoints((isl) => 15 + 0.015 * isl + 5e-7 * isl ** 2));
    expect(model.form).toBe('ttft-quadratic');
    expectCoefficients(model.coefficients, [15, 0.015, 5e-7]);
    expect(model.quality.r2).toBeCloseTo(1, 12);
  });

  it('ttft-quadratic-chunked, which records the chunk size it was fitted with', () => {
    const chunk = 2048;
    const {model} = fitTtft(prefillPoints((isl) => 10 + 0.014 * isl + 4e-7 * isl ** 2 + 3 * Math.ceil(isl / chunk)), {maxNumBatchedTokens: chunk});
    expect(model.form).toBe('ttft-quadratic-chunked');
    expect(model.features).toEqual(['1', 'isl', 'isl^2', 'ceil(isl/maxNumBatchedTokens)']);
    expect(model.maxNumBatchedTokens).toBe(chunk);
    expectCoefficients(model.coefficients, [10, 0.014, 4e-7, 3]);
  });

  it('itl-batch-kv', () => {
    const {model} = fitItl(decodePoints((n, ctx) => 4 + 0.03 * n + 3e-5 * n * ctx));
    expect(model.form).toBe('itl-batch-kv');
    expect(model.features).toEqual(['1', 'n', 'n*ctx']);
    expectCoefficients(model.coefficients, [4, 0.03, 3e-5]);
  });

  it('itl-batch-kv-context', () => {
    const {model} = fitItl(decodePoints((n, ctx) => 4 + 0.03 * n + 3e-5 * n * ctx + 2e-4 * ctx));
    expect(model.form).toBe('itl-batch-kv-context');
    expectCoefficients(model.coefficients, [4, 0.03, 3e-5, 2e-4]);
  });

  it('itl-batch-kv-knee', () => {
    const {model} = fitItl(decodePoints((n, ctx) => 4 + 0.03 * n + 3e-5 * n * ctx + 1e-4 * n * n));
    expect(model.form).toBe('itl-batch-kv-knee');
    expect(model.features).toEqual(['1', 'n', 'n*ctx', 'n^2']);
    expectCoefficients(model.coefficients, [4, 0.03, 3e-5, 1e-4]);
  });

  it('itl-batch-kv-context-knee', () => {
    const {model} = fitItl(decodePoints((n, ctx) => 4 + 0.03 * n + 3e-5 * n * ctx + 2e-4 * ctx + 1e-4 * n * n));
    expect(model.form).toBe('itl-batch-kv-context-knee');
    expectCoefficients(model.coefficients, [4, 0.03, 3e-5, 2e-4, 1e-4]);
  });
});
