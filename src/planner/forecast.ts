// The throughput loop's view of traffic: feed the interval just observed to the predictors and turn their forecast
// into the demand to size for, with our optional percentile and start-up adjustments.
import type {PlannerConfig} from './config.js';
import {predictorConfig} from './config.js';
import {createPredictor} from './predictors/index.js';
import {FORECAST_RATIO_WINDOW, type PlannerState} from './state.js';
import type {TrafficObservation} from './tick.js';

export type TrafficForecast =
  | {
      ok: true;
      durationS: number;
      observed: {numReq: number; isl: number | null; osl: number | null; kvHitRate: number};
      predicted: {numReq: number; isl: number | null; osl: number | null};
      /** Multiplier from percentile sizing (1 when off or still learning). */
      sizingFactor: number;
      /** Requests added to the forecast for engines that start late (engine_startup_s). */
      startupExtra: number;
      /** Requests per second to size for. */
      demandRps: number;
    }
  | {ok: false; reason: 'no_traffic_data' | 'predict_failed'};

/** Percentile sizing's ceiling over the busiest recent interval (1.2: no change on the conversation traces, where
 * 1 lost 0.6 points of SLA on Mooncake's; see docs/benchmarks.md). */
const PEAK_HEADROOM = 1.2;

/** Smallest number of forecast ratios percentile sizing trusts. */
const MIN_FORECAST_RATIOS = 5;

/** Updates `state` (predictors, carried lengths, forecast errors) with the interval and forecasts the next one. */
export function forecastTraffic(config: PlannerConfig, state: PlannerState, traffic: TrafficObservation | undefined, notes: string[]): TrafficForecast {
  if (!traffic || !Number.isFinite(traffic.num_req) || traffic.num_req < 0) {
    notes.push('throughput: the tick carries no traffic observation');
    return {ok: false, reason: 'no_traffic_data'};
  }
  const numReq = traffic.num_req;
  const idle = numReq === 0;
  if (idle && !config.scale_down_at_zero_traffic) {
    notes.push('throughput: no requests in the interval; skipped as Dynamo does (scale_down_at_zero_traffic would size for zero demand)');
    return {ok: false, reason: 'no_traffic_data'};
  }
  const durationS = traffic.duration_s > 0 ? traffic.duration_s : config.throughput_adjustment_interval;
  const lengthOrNull = (value: number | undefined) => (value !== undefined && Number.isFinite(value) && value > 0 ? value : null);
  const seenIsl = idle ? null : lengthOrNull(traffic.isl);
  const seenOsl = idle ? null : lengthOrNull(traffic.osl);
  if (!idle && (seenIsl === null || seenOsl === null)) notes.push('throughput: the interval has no average ISL/OSL; the last known ones are carried forward');
  const isl = seenIsl ?? state.last_traffic.isl;
  const osl = seenOsl ?? state.last_traffic.osl;
  if (!idle && (isl === null || osl === null)) {
    notes.push('throughput: no ISL/OSL known yet');
    return {ok: false, reason: 'no_traffic_data'};
  }
  const kvHitRate = traffic.kv_hit_rate !== undefined && traffic.kv_hit_rate >= 0 && traffic.kv_hit_rate <= 1 ? traffic.kv_hit_rate : state.last_traffic.kv_hit_rate;
  state.last_traffic = {isl, osl, kv_hit_rate: kvHitRate};

  if (state.forecast_num_req !== null && state.forecast_num_req > 0) {
    state.forecast_ratios = [...state.forecast_ratios, numReq / state.forecast_num_req].slice(-FORECAST_RATIO_WINDOW);
  }
  state.observed_num_req = [...(state.observed_num_req ?? []), numReq].slice(-FORECAST_RATIO_WINDOW);
  const predictors = predictorConfig(config);
  const count = createPredictor(predictors, state.predictors.num_req);
  count.observe(numReq);
  state.predictors.num_req = count.save();
  const predictLength = (key: 'isl' | 'osl', seen: number | null) => {
    const predictor = createPredictor(predictors, state.predictors[key]);
    if (seen !== null) predictor.observe(seen);
    state.predictors[key] = predictor.save();
    return predictor.predict() ?? (key === 'isl' ? isl : osl);
  };
  const predictedIsl = predictLength('isl', seenIsl);
  const predictedOsl = predictLength('osl', seenOsl);
  const predictedNumReq = count.predict() ?? (idle ? 0 : undefined);
  if (predictedNumReq === undefined || !Number.isFinite(predictedNumReq)) {
    notes.push('throughput: the request-count predictor gave no forecast');
    return {ok: false, reason: 'predict_failed'};
  }
  state.forecast_num_req = predictedNumReq;

  let sizingFactor = 1;
  if (config.throughput_sizing_percentile !== null) {
    if (state.forecast_ratios.length >= MIN_FORECAST_RATIOS) sizingFactor = Math.max(1, quantile(state.forecast_ratios, config.throughput_sizing_percentile / 100));
    else notes.push(`throughput: percentile sizing waits for ${MIN_FORECAST_RATIOS} forecast errors (has ${state.forecast_ratios.length})`);
  }
  // A rising forecast keeps rising while new engines start: carry its step over the start-up time.
  const startupExtra = (config.engine_startup_s / config.throughput_adjustment_interval) * Math.max(0, predictedNumReq - numReq);
  const forecastNumReq = predictedNumReq + startupExtra;
  // Forecast errors on erratic traffic run to 10x and more (an interval after a lull): sized by them alone the planner
  // bought engines for loads it had never seen (157 engines where a fixed 34 held 99% on Azure's code trace x10).
  // Percentile sizing plans for at most PEAK_HEADROOM times the busiest recent interval (or the forecast itself, when
  // that is higher).
  const sizedNumReq = Math.min(forecastNumReq * sizingFactor, Math.max(forecastNumReq, PEAK_HEADROOM * Math.max(...state.observed_num_req)));
  return {
    ok: true,
    durationS,
    observed: {numReq, isl: seenIsl, osl: seenOsl, kvHitRate},
    predicted: {numReq: predictedNumReq, isl: predictedIsl, osl: predictedOsl},
    sizingFactor,
    startupExtra,
    demandRps: sizedNumReq / durationS,
  };
}

/** The q-quantile (0-1) of `values`, linearly interpolated between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
