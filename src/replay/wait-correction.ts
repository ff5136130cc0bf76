// Feedback on the prefill queue model (the idea of Dynamo's prefill correction factor, p_cf = observed / expected
// TTFT): after each interval, compare the prefill legs' mean time with the model's mean for what actually happened
// (the interval's arrivals on the prefill engines that were ready), and learn a multiplier of the model's queue wait.
// Only the wait is corrected: a request's own prefill matches the profile's fit within a few ms, what the model misses
// is how long requests queue.
import type {TtftModel} from '../fit/index.js';
import {prefillRoleModel} from '../sizing/prefill.js';
import type {Percentile} from '../sizing/types.js';
import {prepareWorkload} from '../sizing/workload.js';
import type {ObservedInterval} from './queue-aware-capacity.js';

export interface WaitCorrectionOptions {
  /** Weight of the newest interval in the fit, older ones forgotten by (1 - weight) per interval (0-1]. */
  weight: number;
  /** Bounds of the multiplier: one interval's noise must not make the planner buy or drop half the pool. */
  min: number;
  max: number;
}

/**
 * How firmly the fit holds the multiplier at 1 (the model as it is): a prior worth one interval whose modelled wait is
 * this share of the TTFT target. Low-load intervals, whose modelled waits are far smaller, barely move it.
 */
const SLOPE_PRIOR_SHARE_OF_TARGET = 0.01;
/** How firmly the fit holds the floor at 0, in intervals: one interval alone is read mostly as a multiplier. */
const FLOOR_PRIOR_INTERVALS = 0.5;

/**
 * A multiplier of the prefill model's queue wait, learned interval by interval; one per replayed policy run.
 *
 * The observed mean wait is fitted against the model's uncorrected mean wait as `floor + factor * modelled`, by least
 * squares that forget old intervals, with priors on factor 1 and floor 0. Traced arrivals come in clumps that make
 * requests wait some ms where the model predicts none; a plain ratio learned there (10-30x on Azure) was applied at the
 * peak, where the model's wait is tens of ms and the observed runs 3-4x it. Only the slope sizes the pool (the floor is
 * a few % of the target). As the intervals that showed the model short are forgotten, the prior brings it back to 1.
 */
export class WaitCorrection {
  factor = 1;
  updates = 0;
  /** The fit's sums, each interval weighted by how recent it is: weight, modelled wait x, observed wait y, x^2, x*y (ms). */
  private sums = {w: 0, x: 0, y: 0, xx: 0, xy: 0};

  constructor(readonly options: WaitCorrectionOptions) {}

  /** Update from one observed interval; `arrivalScv` is the arrival variability the model was given for it. */
  observe(ttft: TtftModel, percentile: Percentile, ttftTargetMs: number, observed: ObservedInterval, arrivalScv: number): void {
    const engines = Math.round(observed.prefillEngines ?? 0);
    const durationS = observed.endS - observed.startS;
    // The prefill legs' own time when the fleet reports it; else the frontend's TTFT, which adds decode's wait.
    const observedMs = observed.prefillMs ?? observed.ttftMs;
    if (observedMs === null || observedMs === undefined || engines < 1 || durationS <= 0 || observed.requests.length === 0) return;
    const samples = observed.requests.map((request) => ({isl: Math.max(1, request.isl), osl: request.osl}));
    const model = prefillRoleModel(ttft, prepareWorkload({isl: 1, osl: 1, samples}, percentile), ttftTargetMs, {arrivalScv});
    const rate = observed.requests.length / durationS;
    const serviceMs = model.pool!.at(0, engines).meanTtftMs!;
    const modelledMs = model.pool!.at(rate / engines, engines).meanTtftMs! - serviceMs;
    // A pool the model puts past the target (or saturated) was overloaded in a transient; its mean says little about
    // the pools the planner sizes, and near saturation the model's wait swings with every request per second.
    if (!Number.isFinite(modelledMs) || modelledMs > ttftTargetMs) return;
    const waitMs = Math.max(0, observedMs - serviceMs);
    const keep = 1 - this.options.weight;
    const sums = this.sums;
    sums.w = keep * sums.w + 1;
    sums.x = keep * sums.x + modelledMs;
    sums.y = keep * sums.y + waitMs;
    sums.xx = keep * sums.xx + modelledMs * modelledMs;
    sums.xy = keep * sums.xy + modelledMs * waitMs;
    this.factor = this.slope((SLOPE_PRIOR_SHARE_OF_TARGET * ttftTargetMs) ** 2);
    this.updates++;
  }

  /** The fitted multiplier, its floor kept >= 0, within the options' bounds; `prior` weighs slope 1 (ms^2). */
  private slope(prior: number): number {
    const {w, x, y, xx, xy} = this.sums;
    // Normal equations of: sum of w (y - floor - slope x)^2 + FLOOR_PRIOR_INTERVALS floor^2 + prior (slope - 1)^2.
    const ww = w + FLOOR_PRIOR_INTERVALS;
    const xxPrior = xx + prior;
    let slope = (ww * (xy + prior) - x * y) / (ww * xxPrior - x * x);
    // A negative floor (waits below the model's own at no load) has no meaning: fit through the origin instead.
    if (y - slope * x < 0) slope = (xy + prior) / xxPrior;
    return Math.min(this.options.max, Math.max(this.options.min, slope));
  }
}
