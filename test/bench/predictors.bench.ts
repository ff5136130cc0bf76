// The runtime planner's load predictors: one-step-ahead error on real request traces and the cost of a step.
// Run: npx tsx test/bench/predictors.bench.ts
// Each trace is cut into whole throughput intervals of request count; every predictor sees one interval at a time and
// forecasts the next, scored (MAPE) from the sixth interval on. The naive forecast (constant: the last value) is the
// baseline of the same run. The traces give at most 58 intervals, so two long seeded series (1,000 intervals) show the
// error where ARIMA works on its full window, between choices of its order; the step cost is timed on the first.

import {createPredictor, type PredictorConfig} from '../../src/planner/predictors/index.js';
import {seededRandom} from '../../src/util/hash.js';
import {oneStepError, requestCountsPerInterval, TRACES_DIR} from '../planner/predictors/one-step-error.js';

const PREDICTORS: {name: string; config: PredictorConfig}[] = [
  {name: 'constant (naive)', config: {kind: 'constant'}},
  {name: 'moving-average (3)', config: {kind: 'moving-average'}},
  {name: 'kalman', config: {kind: 'kalman'}},
  {name: 'kalman log1p', config: {kind: 'kalman', log1p: true}},
  {name: 'arima', config: {kind: 'arima'}},
  {name: 'arima log1p', config: {kind: 'arima', log1p: true}},
  {name: 'arima, order every step', config: {kind: 'arima', arimaReselectEvery: 1}},
];

const SERIES = [
  {name: 'Azure conv 60 s', file: 'azure_llm_2023_conv.csv', intervalS: 60},
  {name: 'Azure conv 180 s', file: 'azure_llm_2023_conv.csv', intervalS: 180},
  {name: 'Mooncake conv 60 s', file: 'mooncake_conversation_trace.jsonl', intervalS: 60},
  {name: 'Mooncake conv 180 s', file: 'mooncake_conversation_trace.jsonl', intervalS: 180},
  // Bursty, with idle minutes: not a smoothing-friendly series, shown for contrast.
  {name: 'Azure code 60 s', file: 'azure_llm_2023_code.csv', intervalS: 60},
];

// Like the Mooncake minutes (~200 a minute, Poisson-like noise) on a slow swell, and the planner-tick benchmark's
// random walk of the rate (5% steps) with Poisson-like noise on the count.
const random = seededRandom(1);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const SWELL = Array.from({length: 1000}, (_, t) => Math.round(200 + 40 * Math.sin(t / 30) + 14 * gaussian()));
let rate = 200;
const WALK = Array.from({length: 1000}, () => {
  rate = Math.max(20, rate * (1 + (random() - 0.5) * 0.1));
  return Math.max(0, Math.round(rate + Math.sqrt(rate) * gaussian()));
});

const series = [
  ...SERIES.map((entry) => ({name: entry.name, counts: requestCountsPerInterval(`${TRACES_DIR}${entry.file}`, entry.intervalS)})),
  {name: 'seeded swell', counts: SWELL},
  {name: 'seeded walk', counts: WALK},
];
const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

console.log('One-step-ahead MAPE of the request count per interval (ratio to naive in brackets)\n');
console.log(`| predictor | ${series.map((entry) => `${entry.name} (${entry.counts.length})`).join(' | ')} | mean ratio (conv) |`);
console.log(`|---|${series.map(() => '---|').join('')}---|`);
const naive = series.map((entry) => oneStepError({kind: 'constant'}, entry.counts).mape);
for (const {name, config} of PREDICTORS) {
  const errors = series.map((entry) => oneStepError(config, entry.counts).mape);
  const ratios = errors.map((error, i) => error / naive[i]!);
  const conversationRatios = ratios.slice(0, 4);
  const meanRatio = conversationRatios.reduce((sum, ratio) => sum + ratio, 0) / conversationRatios.length;
  console.log(`| ${name} | ${errors.map((error, i) => `${percent(error)} (${ratios[i]!.toFixed(2)})`).join(' | ')} | ${meanRatio.toFixed(2)} |`);
}

// Step cost: on the swell, so ARIMA runs on its full 200-point window for most steps. Best of 3 runs, with the
// slowest step of the best run (what a planner tick feels).
const LONG = SWELL;
console.log(`\nTime per observe + predict over ${LONG.length} intervals (best of 3)\n`);
console.log('| predictor | µs per step | slowest step (µs) |');
console.log('|---|---|---|');
for (const {name, config} of PREDICTORS) {
  let best = {mean: Infinity, slowest: Infinity};
  for (let run = 0; run < 3; run += 1) {
    const predictor = createPredictor(config);
    let slowest = 0;
    const started = performance.now();
    for (const value of LONG) {
      const stepStarted = performance.now();
      predictor.observe(value);
      predictor.predict();
      slowest = Math.max(slowest, performance.now() - stepStarted);
    }
    const mean = (performance.now() - started) / LONG.length;
    if (mean < best.mean) best = {mean, slowest};
  }
  console.log(`| ${name} | ${(best.mean * 1000).toFixed(1)} | ${(best.slowest * 1000).toFixed(0)} |`);
}
