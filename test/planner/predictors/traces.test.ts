// One-step-ahead error of each predictor on real request traces, bucketed as the planner's throughput intervals.
import {describe, expect, it} from 'vitest';
import type {PredictorConfig} from '../../../src/planner/predictors/index.js';
import {oneStepError, requestCountsPerInterval, TRACES_DIR} from './one-step-error.js';

const TRACES = ['azure_llm_2023_conv.csv', 'mooncake_conversation_trace.jsonl'];
const INTERVALS_S = [60, 180];
const SMOOTHERS: PredictorConfig[] = [
  {kind: 'moving-average'},
  {kind: 'kalman'},
  {kind: 'kalman', log1p: true},
  {kind: 'arima'},
  {kind: 'arima', log1p: true},
];

describe.each(TRACES)('one-step-ahead request-count error on %s', (trace) => {
  it.each(INTERVALS_S)('every predictor stays within twice the naive (last value) error at %i s intervals', (intervalS) => {
    const series = requestCountsPerInterval(`${TRACES_DIR}${trace}`, intervalS);
    expect(series.length).toBeGreaterThanOrEqual(19);
    const naive = oneStepError({kind: 'constant'}, series);
    // Measured: naive 4.9% to 11.4% on these series, the others at most 1.6 times naive (Kalman on Azure at 180 s,
    // whose level shifts a trend model overshoots). A sign or transform error costs far more than twice.
    expect(naive.mape).toBeGreaterThan(0.02);
    expect(naive.mape).toBeLessThan(0.15);
    for (const config of SMOOTHERS) {
      const error = oneStepError(config, series);
      expect(error.scored).toBe(naive.scored);
      expect(error.mape, JSON.stringify(config)).toBeLessThan(2 * naive.mape);
    }
  });
});

describe('on a noise-dominated series the smoothers beat the naive forecast', () => {
  it('Mooncake conversation at 60 s: moving average, Kalman and ARIMA are each at least 10% better than the last value', () => {
    // ~200 requests a minute with no trend: the last value carries all of one interval's Poisson noise (~7%), which
    // averaging removes. Measured: naive 11.4%, moving average 8.5%, Kalman 9.2%, ARIMA 9.1%.
    const series = requestCountsPerInterval(`${TRACES_DIR}mooncake_conversation_trace.jsonl`, 60);
    const naive = oneStepError({kind: 'constant'}, series).mape;
    for (const config of [{kind: 'moving-average'}, {kind: 'kalman'}, {kind: 'arima'}] satisfies PredictorConfig[]) {
      expect(oneStepError(config, series).mape, config.kind).toBeLessThan(0.9 * naive);
    }
  });
});
