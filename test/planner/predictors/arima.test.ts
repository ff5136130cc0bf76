// The ARIMA-class predictor: order choice and coefficients on synthetic series, and Dynamo's ARIMAPredictor rules.
import {describe, expect, it} from 'vitest';
import {DynamoPlanError} from '../../../src/errors/errors.js';
import {arimaCoefficients, arimaWithCoefficients, ArimaPredictor, createPredictor, fitArimaOrder, fitAutoArima, kpssRejectsStationarity} from '../../../src/planner/predictors/index.js';
import {solveNormalEquations} from '../../../src/planner/predictors/small-least-squares.js';
import {seededRandom} from '../../../src/util/hash.js';
import {thrown} from '../../loadgen/thrown.js';

function gaussian(seed: number): () => number {
  const random = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `length` points of x_t = mean + phi (x_{t-1} - mean) + noise (unit variance), after a burn-in. */
function ar1(phi: number, mean: number, seed: number, length = 200): number[] {
  const noise = gaussian(seed);
  const series: number[] = [];
  let x = 0;
  for (let t = 0; t < length + 100; t += 1) {
    x = phi * x + noise();
    if (t >= 100) series.push(mean + x);
  }
  return series;
}

describe('fitting ARIMA', () => {
  it.each([0.7, -0.5])('on AR(1) series with phi = %s: mostly ARIMA(1, 0, 0), the coefficient recovered, the forecast the true conditional mean', (phi) => {
    const models = Array.from({length: 10}, (_, seed) => {
      const series = ar1(phi, 50, seed + 1, 1000);
      const model = fitAutoArima(series)!;
      // Whatever order AIC picks, its forecast must match E[x_{n+1} | past] (noise sd 1; estimation error ~0.05).
      expect(Math.abs(model.forecast - (50 + phi * (series.at(-1)! - 50)))).toBeLessThan(0.15);
      return model;
    });
    expect(models.filter((model) => model.order.d === 0).length).toBeGreaterThanOrEqual(9);
    const ar1Models = models.filter(({order}) => order.p === 1 && order.d === 0 && order.q === 0);
    // AIC is not consistent: it adds a spare term now and then, but the true order must be the usual choice.
    expect(ar1Models.length).toBeGreaterThanOrEqual(5);
    for (const model of ar1Models) {
      // Standard error of phi at 1000 points is ~0.025.
      expect(Math.abs(model.ar[0]! - phi)).toBeLessThan(0.08);
      // The constant c of x_t = c + phi x_{t-1} is mean (1 - phi).
      expect(model.constant / (1 - model.ar[0]!)).toBeCloseTo(50, 0);
    }
  });

  it('differences a trend (KPSS rejects it) and forecasts a noiseless one exactly with the drift', () => {
    const trend = Array.from({length: 30}, (_, t) => 10 + 3 * t);
    expect(kpssRejectsStationarity(trend)).toBe(true);
    const model = fitAutoArima(trend)!;
    expect(model.order).toEqual({p: 0, d: 1, q: 0});
    expect(model.constant).toBeCloseTo(3, 9);
    expect(model.forecast).toBeCloseTo(100, 9);
  });

  it('leaves white noise undifferenced, mostly with no AR or MA terms, rejecting cancelling near-unit roots', () => {
    const orders = Array.from({length: 10}, (_, seed) => {
      const noise = gaussian(seed + 1);
      const series = Array.from({length: 200}, () => 100 + 5 * noise());
      expect(kpssRejectsStationarity(series)).toBe(false);
      const model = fitAutoArima(series)!;
      // The mean of 200 points is within ~0.35 of 100; an overfitted model strays a little further.
      expect(Math.abs(model.forecast - 100)).toBeLessThan(2);
      return `${model.order.p}${model.order.d}${model.order.q}`;
    });
    // Without the root test, CSS picked an AR root of 0.94 cancelled by an MA root of 1.00 on some of these.
    expect(orders.filter((order) => order === '000').length).toBeGreaterThanOrEqual(6);
  });

  it('finds an MA(1) coefficient when refitting that order', () => {
    const noise = gaussian(5);
    let previous = noise();
    const series = Array.from({length: 200}, () => {
      const e = noise();
      const value = 20 + e + 0.6 * previous;
      previous = e;
      return value;
    });
    const model = fitArimaOrder(series, {p: 0, d: 0, q: 1})!;
    expect(model.ma[0]).toBeCloseTo(0.6, 1);
    // The predictor's refit between choices of the order stops after 3 Gauss-Newton steps: already there.
    const quick = fitArimaOrder(series, {p: 0, d: 0, q: 1}, 3)!;
    expect(quick.ma[0]).toBeCloseTo(0.6, 1);
    expect(quick.aic).toBeGreaterThanOrEqual(model.aic - 1e-9);
    // No steps at all leave the least-squares AR start, which has no MA term.
    expect(fitArimaOrder(series, {p: 0, d: 0, q: 1}, 0)!.ma).toEqual([0]);
  });

  it('fits as well far from zero: the series is centred before the normal equations are formed', () => {
    // Uncentred, the lag columns differ from the constant by 1e-8 of their length and count as dependent (error 0.37).
    const series = ar1(0.7, 1e8, 3, 300);
    const model = fitArimaOrder(series, {p: 1, d: 0, q: 1})!;
    expect(Math.abs(model.forecast - (1e8 + 0.7 * (series.at(-1)! - 1e8)))).toBeLessThan(0.15);
    expect(model.constant / (1 - model.ar[0]!)).toBeCloseTo(1e8, -1);
  });

  it('is a pure function of the series, the order and the coefficients', () => {
    const series = ar1(-0.5, 30, 11);
    for (const model of [fitAutoArima(series)!, fitArimaOrder(series, {p: 2, d: 1, q: 2})!]) {
      expect(arimaWithCoefficients(series, model.order, arimaCoefficients(model))).toEqual(model);
    }
    expect(arimaWithCoefficients(series, {p: 1, d: 0, q: 1}, [1, 0.5])).toBeUndefined();
    expect(arimaWithCoefficients([1, 2, 3], {p: 0, d: 0, q: 0}, [2])).toBeUndefined();
  });

  it('is undefined when the series is too short for any candidate', () => {
    expect(fitAutoArima([1, 2, 3])).toBeUndefined();
  });
});

/** Least squares of `y` on the rows of `design` through the normal equations, as the fit streams them. */
function leastSquares(design: number[][], y: number[]): number[] | undefined {
  const size = design[0]!.length;
  const gram = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  design.forEach((row, i) => row.forEach((x, a) => {
    rhs[a]! += x * y[i]!;
    row.forEach((other, b) => (gram[a * size + b]! += x * other));
  }));
  const solution = solveNormalEquations(gram, rhs, size);
  return solution && [...solution];
}

describe('least squares by the normal equations', () => {
  it('solves an overdetermined system and reports dependent columns', () => {
    const design = [[1, 1000], [1, 1001], [1, 1002.5], [1, 1004]];
    const solution = leastSquares(design, design.map(([one, x]) => 3 * one! - 0.5 * x!))!;
    expect(solution[0]).toBeCloseTo(3, 6);
    expect(solution[1]).toBeCloseTo(-0.5, 9);
    expect(leastSquares([[1, 2], [2, 4], [3, 6]], [1, 2, 3])).toBeUndefined();
    expect(leastSquares([[1, 2]], [1])).toBeUndefined();
  });
});

describe("the ARIMA predictor keeps Dynamo's rules", () => {
  const fed = (values: number[], log1p = false, arimaReselectEvery?: number) => {
    const predictor = new ArimaPredictor({kind: 'arima', log1p, arimaReselectEvery});
    for (const value of values) predictor.observe(value);
    return predictor;
  };

  it('answers the last value below 5 points and the constant for a constant series', () => {
    expect(fed([10, 20, 30, 40]).forecast()).toEqual({value: 40});
    expect(fed([0, 0, 7, 7, 7, 7, 7, 7]).forecast()).toEqual({value: 7});
  });

  it('retries in log1p space when the raw fit collapses to (0, d, 0)', () => {
    const noise = gaussian(5);
    const series = Array.from({length: 60}, () => Math.round(100 + 5 * noise()));
    expect(fitAutoArima(series)!.order).toEqual({p: 0, d: 0, q: 0});
    expect(fed(series).forecast().space).toBe('log1p');
    // The requested space is used as is when the user asks for log1p.
    expect(fed(series, true).forecast().space).toBe('log1p');
    // An AR(1) series does not collapse, so it stays raw.
    expect(fed(ar1(0.7, 50, 7)).forecast()).toMatchObject({space: 'raw', model: {order: {p: 1, d: 0, q: 0}}});
  });

  it('clamps a forecast below zero to 0', () => {
    // The order chosen on all 11 points (by default the last choice was at 10, in log1p space, which cannot go below 0).
    const predictor = fed([200, 180, 150, 140, 110, 100, 70, 60, 30, 20, 0], false, 1);
    expect(predictor.forecast().space).toBe('raw');
    expect(predictor.forecast().model!.forecast).toBeLessThan(0);
    expect(predictor.predict()).toBe(0);
  });

  it('fits as it observes, so what it saves does not depend on whether anyone asked for a forecast', () => {
    // The planner saves the ISL and OSL predictors before asking them for a forecast.
    const series = ar1(0.7, 50, 9, 120);
    const asked = fed([]);
    const silent = fed([]);
    for (const value of series) {
      asked.observe(value);
      asked.predict();
      silent.observe(value);
    }
    expect(silent.save()).toEqual(asked.save());
    expect(asked.save().selection).toMatchObject({space: 'raw', coefficients: expect.any(Array)});
    // A restored predictor answers from the saved coefficients without fitting anything.
    const restored = createPredictor({kind: 'arima'}, JSON.parse(JSON.stringify(asked.save())));
    expect(restored.predict()).toBe(asked.predict());
  });

  it('takes an older state without coefficients (it chooses afresh) and refuses coefficients that do not fit the order', () => {
    const history = ar1(0.7, 50, 4, 30);
    const order = {p: 1, d: 0, q: 0};
    const older = createPredictor({kind: 'arima'}, {kind: 'arima', history, sinceSelection: 1, selection: {space: 'raw', order, chosenAtLength: 29}});
    expect(older.predict()).toBe(history.at(-1));
    older.observe(50);
    expect(older.save().sinceSelection).toBe(0);
    const error = thrown(() => createPredictor({kind: 'arima'}, {kind: 'arima', history, sinceSelection: 1, selection: {space: 'raw', order, chosenAtLength: 29, coefficients: [1, 0.5, 0.2]}}));
    expect(error).toBeInstanceOf(DynamoPlanError);
    expect((error as DynamoPlanError).code).toBe('E_PREDICTOR_STATE');
  });

  it('keeps only the last arimaWindow observations', () => {
    const predictor = new ArimaPredictor({kind: 'arima', arimaWindow: 20});
    for (let t = 0; t < 50; t += 1) predictor.observe(100 + t);
    expect(predictor.save().history).toEqual(Array.from({length: 20}, (_, i) => 130 + i));
  });

  it('chooses the order again every step while the history is short, then every fifth of it, at most arimaReselectEvery', () => {
    const predictor = new ArimaPredictor({kind: 'arima', arimaReselectEvery: 3});
    const chosenAt: number[] = [];
    ar1(0.7, 50, 7).slice(0, 80).forEach((value, t) => {
      predictor.observe(value);
      predictor.predict();
      if (predictor.save().sinceSelection === 0 && t + 1 >= 5) chosenAt.push(t + 1);
    });
    const every = (from: number, to: number, step: number) => Array.from({length: Math.floor((to - from) / step) + 1}, (_, i) => from + i * step);
    expect(chosenAt).toEqual([...every(5, 10, 1), ...every(12, 16, 2), ...every(19, 79, 3)]);
  });
});
