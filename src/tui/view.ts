// What one keystroke recomputes: the sizing of the screen's input and the frontier around it.
import type {SizingInput} from '../sizing/index.js';
import type {LatencyAxis} from './fields.js';
import {computeFrontier, type Frontier, FrontierCache, type SweepBudget} from './frontier.js';
import {bestAchievable, evaluateSizing, type SizingOutcome} from './outcome.js';

/** Time a keystroke may spend on new frontier points (the sizing itself comes first): keeps it under 50 ms. */
export const KEYSTROKE_SWEEP_BUDGET: SweepBudget = {ms: 25};

export interface TuneView {
  outcome: SizingOutcome;
  /** Empty when the input cannot be sized at all. */
  frontier: Frontier;
}

/**
 * Size the input and sweep the frontier along `axis`; pass the session's cache so unchanged points are reused, and a
 * budget to leave the rest of the sweep for later calls (the screen stays responsive when sizings are slow).
 */
export function computeView(input: SizingInput, axis: LatencyAxis, cache: FrontierCache = new FrontierCache(), budget?: SweepBudget): TuneView {
  const outcome = evaluateSizing(input);
  if (outcome.kind === 'error') return {outcome, frontier: {axis, points: [], pending: 0}};
  return {outcome, frontier: computeFrontier(input, axis, bestAchievable(outcome), cache, budget)};
}
