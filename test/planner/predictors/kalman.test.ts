// The local linear trend Kalman predictor, checked against a textbook filter written out with plain 2x2 matrices.
import {describe, expect, it} from 'vitest';
import {createPredictor, KALMAN_DEFAULTS, type PredictorConfig} from '../../../src/planner/predictors/index.js';

type Matrix = number[][];
const multiply = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0]!.map((_, j) => row.reduce((sum, value, k) => sum + value * b[k]![j]!, 0)));
const transpose = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));
const add = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((value, j) => value + b[i]![j]!));

/** One-step forecasts of the textbook filter (x = Fx, P = FPF' + Q; K = PH'/(HPH' + R), x += K(z - Hx), P = (I - KH)P). */
function textbookForecasts(values: number[], qLevel: number, qTrend: number, r: number): number[] {
  const F = [[1, 1], [0, 1]];
  const Q = [[qLevel, 0], [0, qTrend]];
  let x: Matrix = [[values[0]!], [0]];
  let P: Matrix = [[1000, 0], [0, 1000]];
  const forecasts: number[] = [];
  for (const z of values.slice(1)) {
    x = multiply(F, x);
    P = add(multiply(multiply(F, P), transpose(F)), Q);
    const s = P[0]![0]! + r;
    const K = [P[0]![0]! / s, P[1]![0]! / s];
    const innovation = z - x[0]![0]!;
    x = [[x[0]![0]! + K[0]! * innovation], [x[1]![0]! + K[1]! * innovation]];
    P = multiply([[1 - K[0]!, 0], [-K[1]!, 1]], P);
    forecasts.push(x[0]![0]! + x[1]![0]!);
  }
  return forecasts;
}

describe('Kalman local linear trend predictor', () => {
  it("filters exactly as the textbook local linear trend model with Dynamo's defaults", () => {
    const values = [120, 135, 128, 150, 161, 149, 170, 182, 176, 190];
    const expected = textbookForecasts(values, KALMAN_DEFAULTS.qLevel, KALMAN_DEFAULTS.qTrend, KALMAN_DEFAULTS.r);
    const predictor = createPredictor({kind: 'kalman', kalmanMinPoints: 1});
    predictor.observe(values[0]!);
    values.slice(1).forEach((value, i) => {
      predictor.observe(value);
      expect(predictor.predict()).toBeCloseTo(expected[i]!, 9);
    });
  });

  it('converges to a noiseless linear trend and extrapolates it', () => {
    const predictor = createPredictor({kind: 'kalman'});
    for (let t = 0; t < 40; t += 1) predictor.observe(50 + 4 * t);
    expect(predictor.predict()).toBeCloseTo(50 + 4 * 40, 3);
  });

  it('answers the last value until kalman_min_points observations, then the filter', () => {
    const config: PredictorConfig = {kind: 'kalman', kalmanMinPoints: 3};
    const predictor = createPredictor(config);
    predictor.observe(100);
    predictor.observe(130);
    expect(predictor.predict()).toBe(130);
    predictor.observe(160);
    // Level pulled towards 160 plus a positive trend: past the last value, which a constant would answer.
    expect(predictor.predict()).toBeGreaterThan(160);
  });

  it('advances once per interval: asking for the forecast any number of times changes nothing', () => {
    const values = [80, 95, 90, 110, 104, 120, 118, 131];
    const quiet = createPredictor({kind: 'kalman'});
    const chatty = createPredictor({kind: 'kalman'});
    for (const value of values) {
      quiet.observe(value);
      chatty.observe(value);
      chatty.predict();
      chatty.predict();
    }
    expect(chatty.predict()).toBe(quiet.predict());
    expect(chatty.save()).toEqual(quiet.save());
  });

  it('filters in log1p space under log1p: a geometric trend is followed', () => {
    const predictor = createPredictor({kind: 'kalman', log1p: true, kalmanR: 0.01});
    for (let t = 0; t < 30; t += 1) predictor.observe(Math.expm1(2 + 0.1 * t));
    expect(predictor.predict()).toBeCloseTo(Math.expm1(2 + 0.1 * 30), 0);
  });
});
