// Shared by the trace tests and the predictors benchmark: a trace as request counts per interval, and a predictor's
// one-step-ahead error on such a series.
import {fileURLToPath} from 'node:url';
import {readTrace} from '../../../src/loadgen/traces.js';
import {createPredictor, type PredictorConfig} from '../../../src/planner/predictors/index.js';

export const TRACES_DIR = fileURLToPath(new URL('../../../../shared/reference/traces/', import.meta.url));

/** Requests sent in each whole interval of the trace, from its first request; the last, partial interval is dropped. */
export function requestCountsPerInterval(path: string, intervalS: number): number[] {
  const schedule = readTrace(path);
  const whole = Math.floor(schedule.at(-1)!.sendAtS / intervalS);
  const counts = new Array<number>(whole).fill(0);
  for (const request of schedule) {
    const interval = Math.floor(request.sendAtS / intervalS);
    if (interval < whole) counts[interval]! += 1;
  }
  return counts;
}

export interface OneStepError {
  /** Mean absolute percentage error, over the scored intervals with a non-zero count. */
  mape: number;
  scored: number;
  /** Wall time of every observe + predict pair, ms (the whole series, warm-up included). */
  msPerStep: number;
}

/**
 * Feeds the series one interval at a time and scores the forecast made before each interval from `from` on (earlier
 * ones are warm-up: ARIMA and Kalman answer the last value until 5 points).
 */
export function oneStepError(config: PredictorConfig, series: readonly number[], from = 5): OneStepError {
  const predictor = createPredictor(config);
  let sum = 0;
  let scored = 0;
  const started = performance.now();
  for (let t = 0; t < series.length; t += 1) {
    const forecast = predictor.predict();
    const actual = series[t]!;
    if (t >= from && actual > 0 && forecast !== undefined) {
      sum += Math.abs(forecast - actual) / actual;
      scored += 1;
    }
    predictor.observe(actual);
  }
  return {mape: sum / scored, scored, msPerStep: (performance.now() - started) / series.length};
}
