// The runtime planner's load predictors: one-step-ahead error on real request traces and the cost of a step.
// Run: npx tsx test/bench/predictors.bench.ts
// Each trace is cut into whole throughput intervals of request count; every predictor sees one interval at a time and
// forecasts the next, scored (MAPE) from the sixth interval on. The naive forecast (constant: the last value) is the
// baseline of the same run. The step cost is timed on a long seeded series, where ARIMA works on its full window.

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

const series = SERIES.map((entry) => ({...entry, counts: requestCountsPerInterval(`${TRACES_DIR}${entry.file}`, entry.intervalS)}));
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

// Step cost: a seeded series like the Mooncake minutes (~200 a minute, a slow swell, Poisson-like noise), long enough
// that ARIMA runs on its full 200-point window for most steps. Best of 3 runs.
const random = seededRandom(1);
const LONG = Array.from({length: 1000}, (_, t) => Math.round(200 + 40 * Math.sin(t / 30) + 14 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
console.log(`\nTime per observe + predict over ${LONG.length} intervals (best of 3)\n`);
console.log('| predictor | µs per step |');
console.log('|---|---|');
for (const {name, config} of PREDICTORS) {
  let best = Infinity;
  for (let run = 0; run < 3; run += 1) {
    const predictor = createPredictor(config);
    const started = performance.now();
    for (const value of LONG) {
      predictor.observe(value);
      predictor.predict();
    }
    best = Math.min(best, (performance.now() - started) / LONG.length);
  }
  console.log(`| ${name} | ${(best * 1000).toFixed(1)} |`);
}
