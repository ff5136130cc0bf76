import {describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../src/errors/errors.js';
import {checkFitQuality, type FittedModel} from '../../src/fit/index.js';

const model: FittedModel = {
  form: 'itl-batch-kv',
  features: ['1', 'n', 'n*ctx'],
  coefficients: [4, 0.03, 3e-5],
  quality: {r2: 0.98, mape: 6.2, maxApe: 20, cvMape: 9.34, cvMaxApe: 31, points: 24},
};

describe('checkFitQuality', () => {
  it('passes a model within the bound', () => {
    expect(checkFitQuality(model, 10)).toBe(true);
  });

  it('throws exit 3 naming the model, its cross-validated MAPE and the bound, with a hint', () => {
    let error: unknown;
    try {
      checkFitQuality(model, 8);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DynamoPlanError);
    const failure = error as DynamoPlanError;
    expect(failure.exitCode).toBe(3);
    expect(failure.code).toBe('E_FIT_QUALITY');
    expect(failure.message).toBe('The itl-batch-kv fit has a cross-validated MAPE of 9.3%, above the 8% bound (24 points).');
    expect(failure.hint).toMatch(/more points.*--force/);
  });

  it('lets a forced caller through, reporting that the bound was missed', () => {
    expect(checkFitQuality(model, 8, true)).toBe(false);
  });
});
