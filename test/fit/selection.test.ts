import {describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../src/errors/errors.js';
import {fitItl, fitTtft} from '../../src/fit/index.js';
import {decodePoints, prefillPoints} from './synthetic.js';

const linear = (isl: number) => 12 + 0.02 * isl;
const quadratic = (isl: number) => 15 + 0.015 * isl + 5e-7 * isl ** 2;

function thrown(action: () => unknown): DynamoPlanError {
  try {
    action();
  } catch (error) {
    if (error instanceof DynamoPlanError) return error;
    throw error;
  }
  throw new Error('expected a DynamoPlanError');
}

describe('cross-validated selection', () => {
  it('picks the quadratic form for quadratic data, noisy or not', () => {
    for (const noise of [0, 0.02]) {
      const fit = fitTtft(prefillPoints(quadratic, noise));
      expect(fit.model.form).toBe('ttft-quadratic');
      const linearReport = fit.candidates.find((candidate) => candidate.form === 'ttft-linear');
      expect(linearReport?.quality?.cvMape).toBeGreaterThan(fit.model.quality.cvMape);
    }
  });

  it('picks the linear form for linear data: a quadratic that is no better is a tie, and fewer coefficients win', () => {
    for (const noise of [0, 0.02]) {
      const fit = fitTtft(prefillPoints(linear, noise));
      expect(fit.model.form).toBe('ttft-linear');
      expect(fit.candidates.map((candidate) => candidate.form)).toEqual(['ttft-linear', 'ttft-quadratic']);
    }
  });

  it('holds every repeat of an ISL out together, so repeats do not flatter the cross-validated error', () => {
    const once = fitTtft(prefillPoints(linear, 0.02));
    const thrice = fitTtft([...prefillPoints(linear, 0.02), ...prefillPoints(linear, 0.02), ...prefillPoints(linear, 0.02)]);
    expect(thrice.model.quality.points).toBe(3 * once.model.quality.points);
    expect(thrice.model.quality.cvMape).toBeCloseTo(once.model.quality.cvMape, 9);
  });

  it('rejects a form whose TTFT falls as the prompt grows inside the measured range, and says why', () => {
    // Concave data: the best quadratic peaks near isl 12500 and then falls.
    const fit = fitTtft(prefillPoints((isl) => 100 + 0.05 * isl - 2e-6 * isl ** 2));
    expect(fit.model.form).toBe('ttft-linear');
    const quadraticReport = fit.candidates.find((candidate) => candidate.form === 'ttft-quadratic');
    expect(quadraticReport?.rejected).toMatch(/decreases as the prompt length grows/);
    expect(quadraticReport?.quality?.cvMape).toBeLessThan(fit.model.quality.cvMape);
  });

  it('offers the chunked form only when the chunk size is known, and drops it when no prompt spans two chunks', () => {
    expect(fitTtft(prefillPoints(quadratic)).candidates).toHaveLength(2);
    const fit = fitTtft(prefillPoints(quadratic), {maxNumBatchedTokens: 65536});
    expect(fit.candidates.find((candidate) => candidate.form === 'ttft-quadratic-chunked')?.rejected).toMatch(/not independent/);
    expect(fit.model.form).toBe('ttft-quadratic');
  });

  it('drops decode points above max_num_seqs and counts them', () => {
    const points = decodePoints((n, ctx) => 4 + 0.03 * n + 3e-5 * n * ctx);
    const fit = fitItl([...points, {concurrency: 300, context: 512, itlMs: 1}], {maxNumSeqs: 256});
    expect(fit.excludedPoints).toBe(1);
    expect(fit.model.quality.points).toBe(points.length);
    expect(fit.model.quality.cvMape).toBeLessThan(1e-6);
  });

  it('cannot separate per-sequence from per-token decode cost at a single context, and says so', () => {
    const error = thrown(() => fitItl(decodePoints((n, ctx) => 4 + 0.03 * n + 3e-5 * n * ctx).filter((point) => point.context === 2048)));
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe('E_FIT_FAILED');
    expect(error.message).toMatch(/No ITL model fits the 6 points \(itl-batch-kv: its terms are not independent/);
  });

  it('needs enough distinct ISLs to cross-validate even the linear form', () => {
    const error = thrown(() => fitTtft([{isl: 1000, ttftMs: 30}, {isl: 1000, ttftMs: 31}, {isl: 4000, ttftMs: 90}]));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/too few points to cross-validate/);
  });

  it('refuses missing, non-positive or non-finite measurements with exit code 3', () => {
    expect(thrown(() => fitTtft([])).code).toBe('E_FIT_NO_POINTS');
    const bad = thrown(() => fitTtft([...prefillPoints(linear), {isl: 2000, ttftMs: 0}]));
    expect([bad.exitCode, bad.code]).toEqual([3, 'E_FIT_BAD_POINT']);
    expect(bad.message).toBe('prefill point 12 has ttftMs = 0; it must be a positive number.');
    expect(thrown(() => fitItl([{concurrency: Number.NaN, context: 100, itlMs: 5}])).code).toBe('E_FIT_BAD_POINT');
    expect(thrown(() => fitTtft(prefillPoints(linear), {maxNumBatchedTokens: 0.5})).message).toBe('max_num_batched_tokens 0.5 is not a positive integer.');
    expect(thrown(() => fitItl(decodePoints((n) => n), {maxNumSeqs: 0})).code).toBe('E_FIT_BAD_OPTION');
  });
});
