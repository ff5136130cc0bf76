// Feedback on the prefill queue model (the idea of Dynamo's prefill correction factor, p_cf = observed / expected
// TTFT): after each interval, compare the frontend's mean TTFT with the model's mean TTFT for what actually happened
// (the interval's arrivals on the prefill engines that were ready), and learn a multiplier of the model's queue wait.
// Only the wait is corrected: a request's own prefill matches the profile's fit within a few ms, what the model misses
// is how long requests queue.
import type {TtftModel} from '../fit/index.js';
import {prefillRoleModel} from '../sizing/prefill.js';
import type {Percentile} from '../sizing/types.js';
import {prepareWorkload} from '../sizing/workload.js';
import type {ObservedInterval} from './queue-aware-capacity.js';

export interface WaitCorrectionOptions {
  /** EWMA weight of the newest interval's ratio, in log space (0-1]. */
  weight: number;
  /** Bounds of the multiplier: one interval's noise must not make the planner buy or drop half the pool. */
  min: number;
  max: number;
}

/** Predicted mean waits shorter than this (ms) are too small a denominator to learn from. */
const MIN_PREDICTED_WAIT_MS = 2;

/** A multiplier of the prefill model's queue wait, learned interval by interval; one per replayed policy run. */
export class WaitCorrection {
  factor = 1;
  updates = 0;

  constructor(readonly options: WaitCorrectionOptions) {}

  /** Update from one observed interval; `arrivalScv` is the arrival variability the model was given for it. */
  observe(ttft: TtftModel, percentile: Percentile, ttftTargetMs: number, observed: ObservedInterval, arrivalScv: number): void {
    const engines = Math.round(observed.prefillEngines ?? 0);
    const durationS = observed.endS - observed.startS;
    if (observed.ttftMs === null || observed.ttftMs === undefined || engines < 1 || durationS <= 0 || observed.requests.length === 0) return;
    const samples = observed.requests.map((request) => ({isl: Math.max(1, request.isl), osl: request.osl}));
    const model = prefillRoleModel(ttft, prepareWorkload({isl: 1, osl: 1, samples}, percentile), ttftTargetMs, {arrivalScv, waitScale: this.factor});
    const rate = observed.requests.length / durationS;
    const serviceMs = model.pool!.at(0, engines).meanTtftMs!;
    const predictedWaitMs = model.pool!.at(rate / engines, engines).meanTtftMs! - serviceMs;
    if (!Number.isFinite(predictedWaitMs) || predictedWaitMs < MIN_PREDICTED_WAIT_MS) return;
    const observedWaitMs = Math.max(observed.ttftMs - serviceMs, predictedWaitMs * this.options.min / this.factor);
    const target = this.factor * (observedWaitMs / predictedWaitMs);
    const {weight, min, max} = this.options;
    this.factor = Math.min(max, Math.max(min, Math.exp((1 - weight) * Math.log(this.factor) + weight * Math.log(target))));
    this.updates++;
  }
}
