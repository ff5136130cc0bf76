// Saved state is plain JSON and a predictor restored from it continues exactly where the saved one was.
import {describe, expect, it} from 'vitest';
import {createPredictor, type PredictorConfig} from '../../../src/planner/predictors/index.js';
import {seededRandom} from '../../../src/util/hash.js';

const random = seededRandom(42);
/** Leading idle intervals, then a noisy daily-like swell with a NaN and an idle interval inside. */
const SERIES = [0, 0, ...Array.from({length: 60}, (_, t) => Math.round(120 + 40 * Math.sin(t / 6) + 30 * (random() - 0.5)))];
SERIES[30] = Number.NaN;
SERIES[31] = 0;

const CONFIGS: PredictorConfig[] = [
  {kind: 'constant'},
  {kind: 'moving-average', window: 4},
  {kind: 'moving-average', log1p: true},
  {kind: 'kalman'},
  {kind: 'kalman', log1p: true, kalmanMinPoints: 3},
  {kind: 'arima'},
  {kind: 'arima', log1p: true, arimaWindow: 20, arimaReselectEvery: 3},
];

describe.each(CONFIGS)('state round trip: %j', (config) => {
  it.each([0, 1, 4, 9, 17, 33, 47])('saved after %i intervals, restored through JSON, gives the same next predictions', (split) => {
    const original = createPredictor(config);
    SERIES.slice(0, split).forEach((value, t) => {
      original.observe(value);
      // Asking for forecasts along the way (or not) must not matter to what is saved.
      if (t % 2 === 0) original.predict();
    });
    const saved = JSON.parse(JSON.stringify(original.save()));
    const restored = createPredictor(config, saved);
    expect(restored.predict()).toBe(original.predict());
    for (const value of SERIES.slice(split)) {
      original.observe(value);
      restored.observe(value);
      expect(restored.predict()).toBe(original.predict());
    }
    expect(restored.save()).toEqual(original.save());
  });
});

describe('what the state holds', () => {
  it('is plain JSON data of a bounded size', () => {
    for (const config of CONFIGS) {
      const predictor = createPredictor(config);
      for (let t = 0; t < 500; t += 1) predictor.observe(100 + (t % 7));
      predictor.predict();
      const text = JSON.stringify(predictor.save());
      expect(JSON.parse(text)).toEqual(predictor.save());
      // The ARIMA window (200 observations) is the largest thing kept.
      expect(text.length).toBeLessThan(1200);
    }
  });
});
