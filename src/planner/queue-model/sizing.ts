// The throughput tick's side of the queue model: read the interval just observed (its lengths, its arrivals, the
// prefill time it showed), update the wait feedback, and give the throughput loop the queue model's capacities.
import type {Percentile} from '../../sizing/types.js';
import type {EngineCapacities} from '../capacity.js';
import type {PlannerConfig} from '../config.js';
import type {TickInput} from '../tick.js';
import {arrivalDispersion, burstFactor} from './arrivals.js';
import {queueModelCapacities} from './capacities.js';
import {representativeLengths} from './lengths.js';
import type {QueueModelState} from './state.js';
import {observeWait} from './wait-feedback.js';

/** The capacities the throughput loop sizes with this tick: the queue model's when it is on and can be, else `given`. */
export function throughputCapacities(config: PlannerConfig, state: QueueModelState, tick: TickInput, given: EngineCapacities | undefined, notes: string[]): EngineCapacities | undefined {
  const engines = takeReadyPrefillMean(state);
  if (config.queue_model_percentile === null) return given;
  const ttft = given?.models?.ttft;
  if (!given || !ttft) {
    notes.push('queue model: no TTFT fit for prefill (pass --profile); sizing prefill as Dynamo does');
    return given;
  }
  const percentile = `p${config.queue_model_percentile}` as Percentile;
  const traffic = tick.traffic;
  const lengths = traffic?.lengths?.length ? representativeLengths(traffic.lengths) : traffic?.isl !== undefined ? [{isl: traffic.isl, osl: traffic.osl ?? 1}] : [];
  const arrivals = traffic?.arrivals;
  const arrivalScv = config.prefill_arrival_variability && arrivals ? arrivalDispersion(arrivals.counts) : 1;
  const burst = config.prefill_burst_window_s !== null && arrivals ? burstFactor(arrivals.counts, arrivals.window_s, config.prefill_burst_window_s, config.prefill_burst_percentile) : 1;
  if ((config.prefill_arrival_variability || config.prefill_burst_window_s !== null) && !arrivals) notes.push('queue model: no arrival counts this interval (traffic.arrivals); taking Poisson arrivals at the mean rate');
  const feedback = state.wait_feedback;
  if (config.prefill_wait_feedback && traffic) {
    observeWait(feedback, ttft, percentile, config.ttft, {requests: traffic.num_req, lengths, durationS: traffic.duration_s, engines: engines ?? 0, observedMs: traffic.prefill_ms ?? traffic.ttft_ms, arrivalScv});
  }
  const itl = config.decode_kv_headroom ? given.models?.itl : undefined;
  if (config.decode_kv_headroom && !itl) notes.push('queue model: no ITL fit for decode; sizing decode as Dynamo does');
  return queueModelCapacities(given, ttft, config.ttft, percentile, {lengths, burstFactor: burst, arrivalScv, waitScale: config.prefill_wait_feedback ? feedback.factor : 1}, itl);
}

/** Count this tick's ready prefill engines toward the interval's time-average. */
export function sampleReadyPrefill(state: QueueModelState, ready: number | null): void {
  if (ready === null) return;
  state.ready_prefill.sum += ready;
  state.ready_prefill.samples++;
}

/** The interval's time-averaged ready prefill engines, and a fresh average for the next. */
function takeReadyPrefillMean(state: QueueModelState): number | undefined {
  const {sum, samples} = state.ready_prefill;
  state.ready_prefill = {sum: 0, samples: 0};
  return samples > 0 ? sum / samples : undefined;
}
