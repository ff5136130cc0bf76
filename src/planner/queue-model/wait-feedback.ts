// Feedback on the prefill queue model (the idea of Dynamo's prefill correction factor, p_cf = observed / expected
// TTFT): after each interval, compare the prefill legs' mean time with the model's mean for what actually happened
// (the interval's arrivals on the prefill engines that were ready), and learn a multiplier of the model's queue wait.
// Only the wait is corrected: a request's own prefill matches the profile's fit within a few ms; what the model misses
// is how long requests queue.
//
// The observed mean wait is fitted against the model's uncorrected mean wait as `floor + factor * modelled`, by least
// squares that forget old intervals, with priors on factor 1 and floor 0. Traced arrivals come in clumps that make
// requests wait some ms where the model predicts none; a plain ratio learned there (10-30x on Azure) was applied at the
// peak, where the model's wait is tens of ms and the observed runs 3-4x it. Only the slope sizes the pool (the floor is
// a few % of the target). As the intervals that showed the model short are forgotten, the prior brings it back to 1.
import type {TtftModel} from '../../fit/index.js';
import {prefillRoleModel} from '../../sizing/prefill.js';
import type {LengthSample, Percentile} from '../../sizing/types.js';
import {prepareWorkload} from '../../sizing/workload.js';
import type {WaitFeedbackState} from './state.js';

/**
 * The newest interval's weight in the fit (older ones forgotten by 1 - weight per interval: the last ~4 count), and
 * the multiplier's bounds: one interval's noise must not make the planner buy or drop half the pool.
 */
export const WAIT_FEEDBACK = {weight: 0.25, min: 0.5, max: 20} as const;
export type WaitFeedbackOptions = {weight: number; min: number; max: number};

/**
 * How firmly the fit holds the multiplier at 1 (the model as it is): a prior worth one interval whose modelled wait is
 * this share of the TTFT target. Low-load intervals, whose modelled waits are far smaller, barely move it.
 */
const SLOPE_PRIOR_SHARE_OF_TARGET = 0.01;
/** How firmly the fit holds the floor at 0, in intervals: one interval alone is read mostly as a multiplier. */
const FLOOR_PRIOR_INTERVALS = 0.5;

/** One observed interval, as the feedback reads it. */
export interface ObservedPrefill {
  /** Requests that arrived in the interval. */
  requests: number;
  /** Their lengths, or their mean as one point. */
  lengths: readonly LengthSample[];
  durationS: number;
  /** Ready prefill engines over the interval, time-averaged. */
  engines: number;
  /** The prefill legs' mean time when known, else the frontend's mean TTFT (which adds decode's wait), ms. */
  observedMs: number | undefined;
  /** The arrival variability the model was given for the interval. */
  arrivalScv: number;
}

/** Update the fit (in place) from one interval; an interval that says nothing about the model leaves it as it is. */
export function observeWait(state: WaitFeedbackState, ttft: TtftModel, percentile: Percentile, ttftTargetMs: number, observed: ObservedPrefill, options: WaitFeedbackOptions = WAIT_FEEDBACK): void {
  const engines = Math.round(observed.engines);
  const {observedMs, durationS, lengths} = observed;
  if (observedMs === undefined || engines < 1 || durationS <= 0 || observed.requests <= 0 || lengths.length === 0) return;
  const samples = lengths.map((sample) => ({isl: Math.max(1, sample.isl), osl: sample.osl}));
  const model = prefillRoleModel(ttft, prepareWorkload({isl: 1, osl: 1, samples}, percentile), ttftTargetMs, {arrivalScv: observed.arrivalScv});
  const rate = observed.requests / durationS;
  const serviceMs = model.pool!.at(0, engines).meanTtftMs!;
  const modelledMs = model.pool!.at(rate / engines, engines).meanTtftMs! - serviceMs;
  // A pool the model puts past the target (or saturated) was overloaded in a transient; its mean says little about
  // the pools the planner sizes, and near saturation the model's wait swings with every request per second.
  if (!Number.isFinite(modelledMs) || modelledMs > ttftTargetMs) return;
  const waitMs = Math.max(0, observedMs - serviceMs);
  const keep = 1 - options.weight;
  const sums = state.sums;
  sums.w = keep * sums.w + 1;
  sums.x = keep * sums.x + modelledMs;
  sums.y = keep * sums.y + waitMs;
  sums.xx = keep * sums.xx + modelledMs * modelledMs;
  sums.xy = keep * sums.xy + modelledMs * waitMs;
  state.factor = fittedSlope(sums, (SLOPE_PRIOR_SHARE_OF_TARGET * ttftTargetMs) ** 2, options);
  state.updates++;
}

/** The fitted multiplier, its floor kept >= 0, within the bounds; `prior` weighs slope 1 (ms^2). */
function fittedSlope(sums: WaitFeedbackState['sums'], prior: number, options: WaitFeedbackOptions): number {
  const {w, x, y, xx, xy} = sums;
  // Normal equations of: sum of w (y - floor - slope x)^2 + FLOOR_PRIOR_INTERVALS floor^2 + prior (slope - 1)^2.
  const ww = w + FLOOR_PRIOR_INTERVALS;
  const xxPrior = xx + prior;
  let slope = (ww * (xy + prior) - x * y) / (ww * xxPrior - x * x);
  // A negative floor (waits below the model's own at no load) has no meaning: fit through the origin instead.
  if (y - slope * x < 0) slope = (xy + prior) / xxPrior;
  return Math.min(options.max, Math.max(options.min, slope));
}
