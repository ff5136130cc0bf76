// The rules every predictor keeps, with Dynamo's unit-test figures (tests/planner/unit/test_load_predictors.py).
import {describe, expect, it} from 'vitest';
import {DynamoPlanError, ExitCode} from '../../../src/errors/errors.js';
import {createPredictor, type PredictorConfig, type PredictorKind} from '../../../src/planner/predictors/index.js';
import {thrown} from '../../loadgen/thrown.js';

const KINDS: PredictorKind[] = ['constant', 'moving-average', 'kalman', 'arima'];

function fed(config: PredictorConfig, values: number[]) {
  const predictor = createPredictor(config);
  for (const value of values) predictor.observe(value);
  return predictor;
}

describe("Dynamo's constant predictor figures", () => {
  it('predicts the last value: [10, 20, 30] -> 30', () => {
    expect(fed({kind: 'constant'}, [10, 20, 30]).predict()).toBe(30);
  });

  it('skips leading zeros, so the buffer stays empty and there is no forecast yet', () => {
    const predictor = fed({kind: 'constant'}, [0, 0]);
    expect(predictor.predict()).toBeUndefined();
    expect(predictor.save()).toEqual({kind: 'constant'});
  });

  it('keeps a zero after a non-zero value: 5 then 0 -> 0', () => {
    expect(fed({kind: 'constant'}, [5, 0]).predict()).toBe(0);
  });

  it('counts NaN as 0: 10 then NaN -> 0', () => {
    expect(fed({kind: 'constant'}, [10, Number.NaN]).predict()).toBe(0);
  });
});

describe.each(KINDS)('every predictor keeps the common rules: %s', (kind) => {
  it('has no forecast before any observation, nor after only zeros, NaN and infinities', () => {
    expect(createPredictor({kind}).predict()).toBeUndefined();
    const idle = fed({kind}, [0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -3, 0]);
    expect(idle.predict()).toBeUndefined();
    // The idle period leaves no trace: the first traffic is the whole history.
    idle.observe(7);
    expect(idle.predict()).toBe(7);
  });

  it('answers the last value while it has fewer than 5 points', () => {
    expect(fed({kind}, [0, 0, 40, 10]).predict()).toBe(kind === 'moving-average' ? 25 : 10);
  });

  it('counts NaN and infinity after traffic as zero load', () => {
    const withNaN = fed({kind}, [50, 60, 55, 58, Number.NaN, 57, Number.POSITIVE_INFINITY]);
    const withZeros = fed({kind}, [50, 60, 55, 58, 0, 57, 0]);
    expect(withNaN.predict()).toBe(withZeros.predict());
    expect(Number.isFinite(withNaN.predict())).toBe(true);
  });

  it('never predicts a negative load, even when the series plunges (log1p or not)', () => {
    for (const log1p of [false, true]) {
      const predictor = fed({kind, log1p}, [500, 400, 300, 200, 100, 10, 1, 0]);
      expect(predictor.predict()).toBeGreaterThanOrEqual(0);
    }
    // In raw space a local linear trend extrapolates below zero: the clamp is what holds it.
    expect(fed({kind: 'kalman', kalmanMinPoints: 1}, [100, 80, 60, 40, 20, 0, 0]).predict()).toBe(0);
  });

  it('refuses a saved state of another kind with a bad-input error', () => {
    const other = KINDS.find((candidate) => candidate !== kind)!;
    const error = thrown(() => createPredictor({kind}, createPredictor({kind: other}).save()));
    expect(error).toBeInstanceOf(DynamoPlanError);
    expect((error as DynamoPlanError).exitCode).toBe(ExitCode.badInput);
    expect((error as DynamoPlanError).message).toContain(`for a "${other}" predictor`);
  });
});

describe('the moving average', () => {
  it('averages the last `window` observations', () => {
    expect(fed({kind: 'moving-average', window: 3}, [100, 10, 20, 30]).predict()).toBe(20);
    expect(fed({kind: 'moving-average', window: 1}, [100, 10]).predict()).toBe(10);
  });

  it('averages in log1p space under log1p: the geometric-like mean, below the arithmetic one', () => {
    const forecast = fed({kind: 'moving-average', window: 2, log1p: true}, [9, 99]).predict()!;
    expect(forecast).toBeCloseTo(Math.expm1((Math.log(10) + Math.log(100)) / 2), 9);
    expect(forecast).toBeLessThan(54);
  });

  it('rejects a window that is not a positive whole number', () => {
    for (const window of [0, 2.5, -1]) {
      expect((thrown(() => createPredictor({kind: 'moving-average', window})) as DynamoPlanError).exitCode).toBe(ExitCode.badInput);
    }
  });
});

describe('configs and states from files', () => {
  it('rejects an unknown kind and a malformed state with bad-input errors', () => {
    expect((thrown(() => createPredictor({kind: 'prophet' as PredictorKind})) as DynamoPlanError).code).toBe('E_PREDICTOR_CONFIG');
    expect((thrown(() => createPredictor({kind: 'kalman'}, {kind: 'kalman', count: 3, last: 1, level: 1, trend: 0, covariance: [1, 0, 0]})) as DynamoPlanError).code).toBe('E_PREDICTOR_STATE');
    expect((thrown(() => createPredictor({kind: 'arima'}, {kind: 'arima', history: [1, 'x'], sinceSelection: 0})) as DynamoPlanError).code).toBe('E_PREDICTOR_STATE');
    expect((thrown(() => createPredictor({kind: 'moving-average'}, {kind: 'moving-average'})) as DynamoPlanError).code).toBe('E_PREDICTOR_STATE');
  });
});
